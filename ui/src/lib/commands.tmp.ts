// TEMPORARY stand-in for src/bindings/commands.ts (generated from src-tauri/commands.rs by
// `cargo test`). Delete this file and point lib/api.ts at ../bindings/commands once it exists.
import { invoke } from "@tauri-apps/api/core";
import type { AddressInput } from "../bindings/AddressInput";
import type { ContactEntry } from "../bindings/ContactEntry";
import type { ContactInput } from "../bindings/ContactInput";
import type { CoreError } from "../bindings/CoreError";
import type { DeliveryAddress } from "../bindings/DeliveryAddress";
import type { DemoReport } from "../bindings/DemoReport";
import type { DuplicatePair } from "../bindings/DuplicatePair";
import type { Member } from "../bindings/Member";
import type { MemberDetail } from "../bindings/MemberDetail";
import type { MemberInput } from "../bindings/MemberInput";
import type { SearchPage } from "../bindings/SearchPage";
import type { SearchQuery } from "../bindings/SearchQuery";
import type { ShopSettings } from "../bindings/ShopSettings";
import type { StatusChange } from "../bindings/StatusChange";

export type AppStatus = { version: string, db_path: string, open: boolean, error: CoreError | null, first_start: boolean, schema_version: number, active: number, suspended: number, withdrawn: number, };

export const appStatus = (): Promise<AppStatus> => invoke("app_status", {});
export const openDatabase = (path: string): Promise<AppStatus> => invoke("open_database", { path });
export const finishFirstStart = (settings: ShopSettings, demo_members: number): Promise<AppStatus> =>
  invoke("finish_first_start", { settings, demo_members });
export const generateDemo = (members: number): Promise<DemoReport> => invoke("generate_demo", { members });
export const searchMembers = (query: SearchQuery): Promise<SearchPage> => invoke("search_members", { query });
export const memberDetail = (code: string): Promise<MemberDetail> => invoke("member_detail", { code });
export const nextMemberCode = (): Promise<string> => invoke("next_member_code", {});
export const createMember = (input: MemberInput, staff: string): Promise<Member> => invoke("create_member", { input, staff });
export const updateMember = (code: string, input: MemberInput, staff: string): Promise<Member> =>
  invoke("update_member", { code, input, staff });
export const changeMemberStatus = (code: string, change: StatusChange): Promise<Member> =>
  invoke("change_member_status", { code, change });
export const addContact = (code: string, input: ContactInput): Promise<ContactEntry> => invoke("add_contact", { code, input });
export const addAddress = (code: string, input: AddressInput): Promise<DeliveryAddress> => invoke("add_address", { code, input });
export const updateAddress = (id: number, input: AddressInput): Promise<DeliveryAddress> => invoke("update_address", { id, input });
export const archiveAddress = (id: number, archived: boolean): Promise<DeliveryAddress> =>
  invoke("archive_address", { id, archived });
export const duplicateCandidates = (): Promise<Array<DuplicatePair>> => invoke("duplicate_candidates", {});
export const mergeMembers = (kept: string, absorbed: string, staff: string): Promise<Member> =>
  invoke("merge_members", { kept, absorbed, staff });
export const getSettings = (): Promise<ShopSettings> => invoke("get_settings", {});
export const saveSettings = (settings: ShopSettings): Promise<ShopSettings> => invoke("save_settings", { settings });
