import { describe, expect, it } from "vitest";
import { composing, isProceedKey, isSaveEnter, isTypingTarget, matches, moveSelection } from "./keyboard";

describe("matches", () => {
  it("matches Ctrl shortcuts, with ⌘ too", () => {
    expect(matches({ key: "n", ctrlKey: true }, "Ctrl+N")).toBe(true);
    expect(matches({ key: "N", metaKey: true }, "Ctrl+N")).toBe(true);
    expect(matches({ key: "n" }, "Ctrl+N")).toBe(false);
    expect(matches({ key: "n", ctrlKey: true, shiftKey: true }, "Ctrl+N")).toBe(false);
    expect(matches({ key: "n", ctrlKey: true, altKey: true }, "Ctrl+N")).toBe(false);
  });
  it("matches plain and Alt keys", () => {
    expect(matches({ key: "F3" }, "F3")).toBe(true);
    expect(matches({ key: "F3", ctrlKey: true }, "F3")).toBe(false);
    expect(matches({ key: "ArrowLeft", altKey: true }, "Alt+ArrowLeft")).toBe(true);
    expect(matches({ key: "ArrowLeft" }, "Alt+ArrowLeft")).toBe(false);
    expect(matches({ key: "Escape" }, "Escape")).toBe(true);
    expect(matches({ key: "Enter", ctrlKey: true }, "Ctrl+Enter")).toBe(true);
  });
  it("lets Shift through for printable symbols like /", () => {
    expect(matches({ key: "/", shiftKey: true }, "/")).toBe(true);
    expect(matches({ key: "/" }, "/")).toBe(true);
  });
  it("never matches while an IME composes", () => {
    expect(matches({ key: "Enter", ctrlKey: true, isComposing: true }, "Ctrl+Enter")).toBe(false);
    expect(composing({ key: "Enter", keyCode: 229 })).toBe(true);
  });
});

describe("isTypingTarget", () => {
  it("knows where characters go", () => {
    expect(isTypingTarget({ tagName: "INPUT", type: "text" })).toBe(true);
    expect(isTypingTarget({ tagName: "input", type: "search" })).toBe(true);
    expect(isTypingTarget({ tagName: "TEXTAREA" })).toBe(true);
    expect(isTypingTarget({ tagName: "SELECT" })).toBe(true);
    expect(isTypingTarget({ tagName: "DIV", isContentEditable: true })).toBe(true);
    expect(isTypingTarget({ tagName: "INPUT", type: "checkbox" })).toBe(false);
    expect(isTypingTarget({ tagName: "BUTTON" })).toBe(false);
    expect(isTypingTarget({ tagName: "DIV" })).toBe(false);
    expect(isTypingTarget(null)).toBe(false);
  });
});

describe("isSaveEnter", () => {
  const input = { tagName: "INPUT", type: "text" };
  it("saves on Enter in single-line inputs", () => {
    expect(isSaveEnter({ key: "Enter" }, input)).toBe(true);
    expect(isSaveEnter({ key: "Enter" }, { tagName: "INPUT", type: "email" })).toBe(true);
    expect(isSaveEnter({ key: "Enter" }, { tagName: "INPUT", type: "checkbox" })).toBe(true);
  });
  it("not in text areas, selects, buttons, with modifiers, or mid-conversion", () => {
    expect(isSaveEnter({ key: "Enter" }, { tagName: "TEXTAREA" })).toBe(false);
    expect(isSaveEnter({ key: "Enter" }, { tagName: "SELECT" })).toBe(false);
    expect(isSaveEnter({ key: "Enter" }, { tagName: "BUTTON" })).toBe(false);
    expect(isSaveEnter({ key: "Enter", shiftKey: true }, input)).toBe(false);
    expect(isSaveEnter({ key: "Enter", isComposing: true }, input)).toBe(false);
    expect(isSaveEnter({ key: "Enter", keyCode: 229 }, input)).toBe(false);
    expect(isSaveEnter({ key: "a" }, input)).toBe(false);
  });
});

describe("moveSelection", () => {
  it("moves by one, by a page, and to the ends, clamped", () => {
    expect(moveSelection("ArrowDown", -1, 100, 20)).toBe(0);
    expect(moveSelection("ArrowDown", 5, 100, 20)).toBe(6);
    expect(moveSelection("ArrowDown", 99, 100, 20)).toBe(99);
    expect(moveSelection("ArrowUp", 5, 100, 20)).toBe(4);
    expect(moveSelection("ArrowUp", 0, 100, 20)).toBe(0);
    expect(moveSelection("ArrowUp", -1, 100, 20)).toBe(0);
    expect(moveSelection("PageDown", 0, 100, 20)).toBe(19);
    expect(moveSelection("PageDown", 90, 100, 20)).toBe(99);
    expect(moveSelection("PageUp", 30, 100, 20)).toBe(11);
    expect(moveSelection("PageUp", 5, 100, 20)).toBe(0);
    expect(moveSelection("Home", 50, 100, 20)).toBe(0);
    expect(moveSelection("End", 0, 100000, 20)).toBe(99999);
  });
  it("ignores other keys and empty lists", () => {
    expect(moveSelection("a", 3, 100, 20)).toBeNull();
    expect(moveSelection("ArrowDown", -1, 0, 20)).toBeNull();
  });
  it("clamps a selection left over from a longer list", () => {
    expect(moveSelection("ArrowDown", 500, 10, 5)).toBe(9);
  });
});

describe("isProceedKey", () => {
  it("takes Enter outside buttons, selects and text areas, and Ctrl+Enter anywhere", () => {
    expect(isProceedKey({ key: "Enter" }, { tagName: "INPUT", type: "radio" })).toBe(true);
    expect(isProceedKey({ key: "Enter" }, { tagName: "INPUT", type: "checkbox" })).toBe(true);
    expect(isProceedKey({ key: "Enter" }, { tagName: "BODY" })).toBe(true);
    expect(isProceedKey({ key: "Enter" }, { tagName: "BUTTON" })).toBe(false);
    expect(isProceedKey({ key: "Enter" }, { tagName: "SELECT" })).toBe(false);
    expect(isProceedKey({ key: "Enter" }, { tagName: "TEXTAREA" })).toBe(false);
    expect(isProceedKey({ key: "Enter", ctrlKey: true }, { tagName: "SELECT" })).toBe(true);
    expect(isProceedKey({ key: "Enter", shiftKey: true }, { tagName: "INPUT" })).toBe(false);
    expect(isProceedKey({ key: "Enter", isComposing: true }, { tagName: "INPUT" })).toBe(false);
    expect(isProceedKey({ key: "a" }, { tagName: "INPUT" })).toBe(false);
  });
});
