//! The demo's members: names with readings, addresses by prefecture with their real postal codes
//! and area codes, phones, a few suspended and withdrawn, a few re-registrations for 名寄せ.
use super::Rng;
use crate::error::Result;
use crate::members::{self, Gender, HistoryKind, MemberInput, MemberKind, MemberStatus};
use crate::store::{members as sql, now_stamp, Db};
use chrono::{Duration, NaiveDate};

// (kanji, kana, romaji)
const SURNAMES: &[(&str, &str, &str)] = &[
    ("佐藤", "サトウ", "sato"), ("鈴木", "スズキ", "suzuki"), ("高橋", "タカハシ", "takahashi"), ("田中", "タナカ", "tanaka"),
    ("伊藤", "イトウ", "ito"), ("渡辺", "ワタナベ", "watanabe"), ("山本", "ヤマモト", "yamamoto"), ("中村", "ナカムラ", "nakamura"),
    ("小林", "コバヤシ", "kobayashi"), ("加藤", "カトウ", "kato"), ("吉田", "ヨシダ", "yoshida"), ("山田", "ヤマダ", "yamada"),
    ("佐々木", "ササキ", "sasaki"), ("山口", "ヤマグチ", "yamaguchi"), ("松本", "マツモト", "matsumoto"), ("井上", "イノウエ", "inoue"),
    ("木村", "キムラ", "kimura"), ("林", "ハヤシ", "hayashi"), ("斎藤", "サイトウ", "saito"), ("清水", "シミズ", "shimizu"),
    ("山崎", "ヤマザキ", "yamazaki"), ("森", "モリ", "mori"), ("池田", "イケダ", "ikeda"), ("橋本", "ハシモト", "hashimoto"),
    ("阿部", "アベ", "abe"), ("石川", "イシカワ", "ishikawa"), ("山下", "ヤマシタ", "yamashita"), ("中島", "ナカジマ", "nakajima"),
    ("石井", "イシイ", "ishii"), ("小川", "オガワ", "ogawa"), ("前田", "マエダ", "maeda"), ("岡田", "オカダ", "okada"),
    ("長谷川", "ハセガワ", "hasegawa"), ("藤田", "フジタ", "fujita"), ("後藤", "ゴトウ", "goto"), ("近藤", "コンドウ", "kondo"),
    ("村上", "ムラカミ", "murakami"), ("遠藤", "エンドウ", "endo"), ("青木", "アオキ", "aoki"), ("坂本", "サカモト", "sakamoto"),
    ("斉藤", "サイトウ", "saito"), ("福田", "フクダ", "fukuda"), ("太田", "オオタ", "ota"), ("西村", "ニシムラ", "nishimura"),
    ("藤井", "フジイ", "fujii"), ("金子", "カネコ", "kaneko"), ("岡本", "オカモト", "okamoto"), ("藤原", "フジワラ", "fujiwara"),
    ("中野", "ナカノ", "nakano"), ("三浦", "ミウラ", "miura"), ("原田", "ハラダ", "harada"), ("中川", "ナカガワ", "nakagawa"),
    ("松田", "マツダ", "matsuda"), ("竹内", "タケウチ", "takeuchi"), ("小野", "オノ", "ono"), ("田村", "タムラ", "tamura"),
    ("中山", "ナカヤマ", "nakayama"), ("和田", "ワダ", "wada"), ("石田", "イシダ", "ishida"), ("森田", "モリタ", "morita"),
    ("上田", "ウエダ", "ueda"), ("原", "ハラ", "hara"), ("内田", "ウチダ", "uchida"), ("柴田", "シバタ", "shibata"),
    ("酒井", "サカイ", "sakai"), ("宮崎", "ミヤザキ", "miyazaki"), ("横山", "ヨコヤマ", "yokoyama"), ("高木", "タカギ", "takagi"),
    ("安藤", "アンドウ", "ando"), ("宮本", "ミヤモト", "miyamoto"), ("大野", "オオノ", "ono"), ("小島", "コジマ", "kojima"),
    ("谷口", "タニグチ", "taniguchi"), ("今井", "イマイ", "imai"), ("工藤", "クドウ", "kudo"), ("高田", "タカダ", "takada"),
    ("増田", "マスダ", "masuda"), ("丸山", "マルヤマ", "maruyama"), ("杉山", "スギヤマ", "sugiyama"), ("村田", "ムラタ", "murata"),
    ("大塚", "オオツカ", "otsuka"), ("小山", "コヤマ", "koyama"), ("藤本", "フジモト", "fujimoto"), ("平野", "ヒラノ", "hirano"),
    ("新井", "アライ", "arai"), ("河野", "コウノ", "kono"), ("上野", "ウエノ", "ueno"), ("武田", "タケダ", "takeda"),
    ("野口", "ノグチ", "noguchi"), ("松井", "マツイ", "matsui"), ("千葉", "チバ", "chiba"), ("菅原", "スガワラ", "sugawara"),
    ("岩崎", "イワサキ", "iwasaki"), ("木下", "キノシタ", "kinoshita"), ("野村", "ノムラ", "nomura"), ("佐野", "サノ", "sano"),
    ("髙橋", "タカハシ", "takahashi"), ("渡邉", "ワタナベ", "watanabe"), ("齋藤", "サイトウ", "saito"), ("大和田", "オオワダ", "owada"),
    ("東海林", "ショウジ", "shoji"), ("服部", "ハットリ", "hattori"), ("桑原", "クワハラ", "kuwahara"), ("菊地", "キクチ", "kikuchi"),
];

// (kanji, kana, romaji, gender)
const GIVEN: &[(&str, &str, &str, Gender)] = &[
    ("花子", "ハナコ", "hanako", Gender::Female), ("洋子", "ヨウコ", "yoko", Gender::Female), ("恵子", "ケイコ", "keiko", Gender::Female),
    ("幸子", "サチコ", "sachiko", Gender::Female), ("和子", "カズコ", "kazuko", Gender::Female), ("京子", "キョウコ", "kyoko", Gender::Female),
    ("久美子", "クミコ", "kumiko", Gender::Female), ("由美子", "ユミコ", "yumiko", Gender::Female), ("裕子", "ユウコ", "yuko", Gender::Female),
    ("真由美", "マユミ", "mayumi", Gender::Female), ("明美", "アケミ", "akemi", Gender::Female), ("直美", "ナオミ", "naomi", Gender::Female),
    ("陽子", "ヨウコ", "yoko", Gender::Female), ("智子", "トモコ", "tomoko", Gender::Female), ("美智子", "ミチコ", "michiko", Gender::Female),
    ("節子", "セツコ", "setsuko", Gender::Female), ("順子", "ジュンコ", "junko", Gender::Female), ("美穂", "ミホ", "miho", Gender::Female),
    ("愛", "アイ", "ai", Gender::Female), ("さくら", "サクラ", "sakura", Gender::Female), ("陽菜", "ヒナ", "hina", Gender::Female),
    ("結衣", "ユイ", "yui", Gender::Female), ("美咲", "ミサキ", "misaki", Gender::Female), ("翔子", "ショウコ", "shoko", Gender::Female),
    ("千尋", "チヒロ", "chihiro", Gender::Female), ("麻衣", "マイ", "mai", Gender::Female), ("彩", "アヤ", "aya", Gender::Female),
    ("奈々", "ナナ", "nana", Gender::Female), ("由紀", "ユキ", "yuki", Gender::Female), ("典子", "ノリコ", "noriko", Gender::Female),
    ("静香", "シズカ", "shizuka", Gender::Female), ("紀子", "ノリコ", "noriko", Gender::Female), ("早苗", "サナエ", "sanae", Gender::Female),
    ("太郎", "タロウ", "taro", Gender::Male), ("一郎", "イチロウ", "ichiro", Gender::Male), ("健一", "ケンイチ", "kenichi", Gender::Male),
    ("誠", "マコト", "makoto", Gender::Male), ("浩", "ヒロシ", "hiroshi", Gender::Male), ("茂", "シゲル", "shigeru", Gender::Male),
    ("隆", "タカシ", "takashi", Gender::Male), ("博", "ヒロシ", "hiroshi", Gender::Male), ("清", "キヨシ", "kiyoshi", Gender::Male),
    ("修", "オサム", "osamu", Gender::Male), ("明", "アキラ", "akira", Gender::Male), ("大輔", "ダイスケ", "daisuke", Gender::Male),
    ("翔太", "ショウタ", "shota", Gender::Male), ("拓也", "タクヤ", "takuya", Gender::Male), ("健太", "ケンタ", "kenta", Gender::Male),
    ("直樹", "ナオキ", "naoki", Gender::Male), ("和也", "カズヤ", "kazuya", Gender::Male), ("剛", "ツヨシ", "tsuyoshi", Gender::Male),
    ("正男", "マサオ", "masao", Gender::Male), ("勝", "マサル", "masaru", Gender::Male), ("亮", "リョウ", "ryo", Gender::Male),
    ("蓮", "レン", "ren", Gender::Male), ("悠真", "ユウマ", "yuma", Gender::Male), ("陽翔", "ハルト", "haruto", Gender::Male),
    ("雄一", "ユウイチ", "yuichi", Gender::Male), ("俊介", "シュンスケ", "shunsuke", Gender::Male), ("秀樹", "ヒデキ", "hideki", Gender::Male),
    ("徹", "トオル", "toru", Gender::Male), ("稔", "ミノル", "minoru", Gender::Male), ("進", "ススム", "susumu", Gender::Male),
    ("昭", "アキラ", "akira", Gender::Male), ("豊", "ユタカ", "yutaka", Gender::Male), ("智也", "トモヤ", "tomoya", Gender::Male),
];

// (postal code, prefecture, city, town, phone area code)
const PLACES: &[(&str, &str, &str, &str, &str)] = &[
    ("060-0001", "北海道", "札幌市中央区", "北一条西", "011"), ("040-0001", "北海道", "函館市", "五稜郭町", "0138"),
    ("030-0801", "青森県", "青森市", "新町", "017"), ("020-0021", "岩手県", "盛岡市", "中央通", "019"),
    ("980-0021", "宮城県", "仙台市青葉区", "中央", "022"), ("010-0001", "秋田県", "秋田市", "中通", "018"),
    ("990-0031", "山形県", "山形市", "十日町", "023"), ("960-8041", "福島県", "福島市", "大町", "024"),
    ("310-0021", "茨城県", "水戸市", "南町", "029"), ("320-0802", "栃木県", "宇都宮市", "江野町", "028"),
    ("371-0023", "群馬県", "前橋市", "本町", "027"), ("330-0063", "埼玉県", "さいたま市浦和区", "高砂", "048"),
    ("260-0013", "千葉県", "千葉市中央区", "中央", "043"), ("100-0005", "東京都", "千代田区", "丸の内", "03"),
    ("154-0015", "東京都", "世田谷区", "桜新町", "03"), ("160-0022", "東京都", "新宿区", "新宿", "03"),
    ("180-0004", "東京都", "武蔵野市", "吉祥寺本町", "0422"), ("192-0083", "東京都", "八王子市", "旭町", "042"),
    ("231-0023", "神奈川県", "横浜市中区", "山下町", "045"), ("248-0006", "神奈川県", "鎌倉市", "小町", "0467"),
    ("951-8061", "新潟県", "新潟市中央区", "西堀通", "025"), ("930-0083", "富山県", "富山市", "総曲輪", "076"),
    ("920-0981", "石川県", "金沢市", "片町", "076"), ("910-0006", "福井県", "福井市", "中央", "0776"),
    ("400-0031", "山梨県", "甲府市", "丸の内", "055"), ("380-0823", "長野県", "長野市", "南千歳", "026"),
    ("500-8833", "岐阜県", "岐阜市", "神田町", "058"), ("420-0852", "静岡県", "静岡市葵区", "紺屋町", "054"),
    ("430-0933", "静岡県", "浜松市中央区", "鍛冶町", "053"), ("460-0008", "愛知県", "名古屋市中区", "栄", "052"),
    ("514-0009", "三重県", "津市", "羽所町", "059"), ("520-0044", "滋賀県", "大津市", "京町", "077"),
    ("604-8005", "京都府", "京都市中京区", "恵比須町", "075"), ("530-0001", "大阪府", "大阪市北区", "梅田", "06"),
    ("590-0077", "大阪府", "堺市堺区", "中瓦町", "072"), ("650-0021", "兵庫県", "神戸市中央区", "三宮町", "078"),
    ("630-8215", "奈良県", "奈良市", "東向中町", "0742"), ("640-8331", "和歌山県", "和歌山市", "美園町", "073"),
    ("680-0833", "鳥取県", "鳥取市", "末広温泉町", "0857"), ("690-0003", "島根県", "松江市", "朝日町", "0852"),
    ("700-0023", "岡山県", "岡山市北区", "駅前町", "086"), ("730-0011", "広島県", "広島市中区", "基町", "082"),
    ("753-0074", "山口県", "山口市", "中央", "083"), ("770-0834", "徳島県", "徳島市", "元町", "088"),
    ("760-0050", "香川県", "高松市", "亀井町", "087"), ("790-0004", "愛媛県", "松山市", "大街道", "089"),
    ("780-0841", "高知県", "高知市", "帯屋町", "088"), ("810-0001", "福岡県", "福岡市中央区", "天神", "092"),
    ("802-0001", "福岡県", "北九州市小倉北区", "浅野", "093"), ("840-0826", "佐賀県", "佐賀市", "白山", "0952"),
    ("850-0853", "長崎県", "長崎市", "浜町", "095"), ("860-0808", "熊本県", "熊本市中央区", "手取本町", "096"),
    ("870-0035", "大分県", "大分市", "中央町", "097"), ("880-0805", "宮崎県", "宮崎市", "橘通東", "0985"),
    ("892-0842", "鹿児島県", "鹿児島市", "東千石町", "099"), ("900-0015", "沖縄県", "那覇市", "久茂地", "098"),
];

const BUILDINGS: &[&str] = &["コーポ", "ハイツ", "メゾン", "グランドパレス", "サンハイム", "レジデンス", "パークホームズ", "ヴィラ"];
const COMPANY_WORDS: &[(&str, &str)] = &[
    ("健康の森", "ケンコウノモリ"), ("山の恵み", "ヤマノメグミ"), ("ひだまり薬局", "ヒダマリヤッキョク"), ("緑茶園", "リョクチャエン"),
    ("さくら治療院", "サクラチリョウイン"), ("青空食品", "アオゾラショクヒン"), ("はな工房", "ハナコウボウ"), ("大地の会", "ダイチノカイ"),
];
const TAGS: &[&str] = &["会報誌", "電話注文", "FAX注文", "セミナー参加", "紹介者あり", "VIP", "ギフト利用"];
const CONTACTS: &[(&str, &str)] = &[
    ("電話", "次回のお届け日を確認したいとのお電話。"), ("電話", "商品の飲み方についてご質問。説明して了承いただいた。"),
    ("メール", "住所変更のご連絡をいただいた。"), ("FAX", "追加注文のFAXを受信。"), ("電話", "体調がよくなったとのお礼のお電話。"),
    ("手紙", "会報誌へのご感想のお手紙。"), ("来店", "セミナーに参加された。"),
];
const SUSPEND_REASONS: &[&str] = &["入院のため一時休止", "在庫が余っているため", "家計の見直し", "長期の旅行"];
const WITHDRAW_REASONS: &[&str] = &["効果を感じられない", "価格が高い", "転居", "他社商品に切り替え", "ご逝去", "連絡がつかない"];
pub(super) const STAFF: &[&str] = &["佐藤", "鈴木", "高橋", "田中"];

/// A member as the rest of the demo needs it.
pub(super) struct DemoMember {
    pub id: i64,
    pub joined: NaiveDate,
    pub status: MemberStatus,
    /// When a suspended or withdrawn member's status took effect.
    pub since: Option<NaiveDate>,
    pub prefecture: String,
    pub dm_opt_out: bool,
    /// A member of the yearly membership course (会員制): the demo's history sets 有効期限.
    pub membership: bool,
}

pub(super) struct People {
    pub members: Vec<DemoMember>,
    pub first_code: String,
    pub last_code: String,
}

/// Adds `n` members in one transaction. With `habits` (a shop around them follows), it also
/// picks the members of the membership course, whose 有効期限 their fee payments will set.
/// `all_active`: none suspended or withdrawn (newcomers for a busy month).
pub(super) fn add_members(
    db: &mut Db,
    n: u32,
    seed: u64,
    today: NaiveDate,
    mut habits: Option<&mut Rng>,
    all_active: bool,
) -> Result<People> {
    let fmt = db.shop_settings()?.member_code;
    let first = db.max_member_number(&fmt)? + 1;
    let now = now_stamp();
    let mut rng = Rng(seed ^ 0x7E1C1B14);
    let mut recent: Vec<MemberInput> = Vec::new();
    let mut out = Vec::with_capacity(n as usize);
    db.write_bulk("members", "デモデータ: 会員", |tx| {
        for i in 0..n as u64 {
            let code = fmt.format(first + i);
            let mut input = if i > 20 && rng.chance(1) {
                // A re-registration: the same person again, typed slightly differently.
                let twin = rng.pick(&recent).clone();
                MemberInput { kana: half_width_kana(&twin.kana), email: String::new(), notes: String::new(), ..twin }
            } else {
                person(&mut rng, today)
            };
            if recent.len() < 500 {
                recent.push(input.clone());
            } else {
                let k = rng.below(500) as usize;
                recent[k] = input.clone();
            }
            let membership = habits.as_deref_mut().is_some_and(|h| h.permille(56));
            if membership {
                input.valid_until = String::new();
            }
            let clean = members::clean(&input, code, today)?;
            let (status, since, reason) = match rng.below(100) {
                0..=5 => (MemberStatus::Suspended, Some(today - Duration::days(rng.below(400) as i64)), *rng.pick(SUSPEND_REASONS)),
                6..=15 => (MemberStatus::Withdrawn, Some(today - Duration::days(rng.below(900) as i64)), *rng.pick(WITHDRAW_REASONS)),
                _ => (MemberStatus::Active, None, ""),
            };
            let (status, since, reason) = if all_active { (MemberStatus::Active, None, "") } else { (status, since, reason) };
            let since = since.map(|s| s.max(clean.joined_on));
            let id = sql::insert_with_status(tx, &clean, status, since, &now, None)?;
            let staff = *rng.pick(STAFF);
            if status != MemberStatus::Active {
                sql::add_history(tx, id, HistoryKind::StatusChanged, since, Some(MemberStatus::Active), Some(status), reason, staff, "")?;
            }
            if rng.chance(20) {
                let (channel, body) = *rng.pick(CONTACTS);
                let on = clean.joined_on + Duration::days(rng.below(200) as i64);
                sql::add_contact(tx, id, on.min(today), channel, staff, body, &now)?;
            }
            out.push(DemoMember {
                id,
                joined: clean.joined_on,
                status,
                since,
                prefecture: clean.prefecture.clone(),
                dm_opt_out: clean.dm_opt_out,
                membership,
            });
        }
        // One statement for every 「登録」 entry instead of one per member.
        if n > 0 {
            sql::add_created_history_from(tx, &fmt.format(first), "デモデータ")?;
        }
        Ok(())
    })?;
    Ok(People { members: out, first_code: fmt.format(first), last_code: fmt.format(first + n.max(1) as u64 - 1) })
}

fn half_width_kana(s: &str) -> String {
    // Legacy lists often hold readings in half-width kana; the core normalises them back.
    const PAIRS: &[(char, &str)] = &[
        ('ア', "ｱ"), ('イ', "ｲ"), ('ウ', "ｳ"), ('エ', "ｴ"), ('オ', "ｵ"), ('カ', "ｶ"), ('キ', "ｷ"), ('ク', "ｸ"), ('ケ', "ｹ"), ('コ', "ｺ"),
        ('サ', "ｻ"), ('シ', "ｼ"), ('ス', "ｽ"), ('セ', "ｾ"), ('ソ', "ｿ"), ('タ', "ﾀ"), ('チ', "ﾁ"), ('ツ', "ﾂ"), ('テ', "ﾃ"), ('ト', "ﾄ"),
        ('ナ', "ﾅ"), ('ニ', "ﾆ"), ('ヌ', "ﾇ"), ('ネ', "ﾈ"), ('ノ', "ﾉ"), ('ハ', "ﾊ"), ('ヒ', "ﾋ"), ('フ', "ﾌ"), ('ヘ', "ﾍ"), ('ホ', "ﾎ"),
        ('マ', "ﾏ"), ('ミ', "ﾐ"), ('ム', "ﾑ"), ('メ', "ﾒ"), ('モ', "ﾓ"), ('ヤ', "ﾔ"), ('ユ', "ﾕ"), ('ヨ', "ﾖ"), ('ラ', "ﾗ"), ('リ', "ﾘ"),
        ('ル', "ﾙ"), ('レ', "ﾚ"), ('ロ', "ﾛ"), ('ワ', "ﾜ"), ('ン', "ﾝ"), ('ガ', "ｶﾞ"), ('ギ', "ｷﾞ"), ('グ', "ｸﾞ"), ('ゲ', "ｹﾞ"), ('ゴ', "ｺﾞ"),
        ('ザ', "ｻﾞ"), ('ジ', "ｼﾞ"), ('ズ', "ｽﾞ"), ('ゼ', "ｾﾞ"), ('ゾ', "ｿﾞ"), ('ダ', "ﾀﾞ"), ('デ', "ﾃﾞ"), ('ド', "ﾄﾞ"), ('バ', "ﾊﾞ"),
        ('ビ', "ﾋﾞ"), ('ブ', "ﾌﾞ"), ('ベ', "ﾍﾞ"), ('ボ', "ﾎﾞ"), ('パ', "ﾊﾟ"), ('ピ', "ﾋﾟ"), ('プ', "ﾌﾟ"), ('ペ', "ﾍﾟ"), ('ポ', "ﾎﾟ"),
        ('ャ', "ｬ"), ('ュ', "ｭ"), ('ョ', "ｮ"), ('ッ', "ｯ"), ('ー', "ｰ"),
    ];
    s.chars()
        .map(|c| PAIRS.iter().find(|(k, _)| *k == c).map(|(_, h)| h.to_string()).unwrap_or_else(|| c.to_string()))
        .collect()
}

fn person(rng: &mut Rng, today: NaiveDate) -> MemberInput {
    let (sur, sur_kana, sur_romaji) = *rng.pick(SURNAMES);
    let (given, given_kana, given_romaji, gender) = *rng.pick(GIVEN);
    let (postal, pref, city, town, area) = *rng.pick(PLACES);
    let company_member = rng.chance(4);
    let street = format!("{}丁目{}番{}号", 1 + rng.below(5), 1 + rng.below(30), 1 + rng.below(20));
    let building = if rng.chance(30) {
        format!("{}{}{} {}号室", rng.pick(BUILDINGS), town.chars().next().unwrap_or('東'), ["", "II", "弐番館"][rng.below(3) as usize], 101 + rng.below(9) * 100 + rng.below(10))
    } else {
        String::new()
    };
    // A local number: area code + exchange + line, 10 digits in all.
    let rest = 10 - area.len();
    let exch_len = rest - 4;
    let exch = 2 + rng.below(10u64.pow(exch_len as u32) - 2);
    let phone = if rng.chance(70) {
        format!("{area}-{exch:0w$}-{:04}", rng.below(10000), w = exch_len)
    } else {
        String::new()
    };
    let mobile = if phone.is_empty() || rng.chance(45) {
        format!("{}-{:04}-{:04}", ["090", "080", "070"][rng.below(3) as usize], rng.below(10000), rng.below(10000))
    } else {
        String::new()
    };
    let email = if rng.chance(55) {
        format!("{given_romaji}.{sur_romaji}{}@{}", rng.below(1000), ["example.jp", "example.com", "example.ne.jp"][rng.below(3) as usize])
    } else {
        String::new()
    };
    let age_days = 365 * (25 + rng.below(60)) + rng.below(365);
    let joined = today - Duration::days(rng.below(365 * 9) as i64);
    let (kind, company, name, kana) = if company_member {
        let (w, _) = *rng.pick(COMPANY_WORDS);
        (MemberKind::Company, format!("株式会社{w}"), format!("{sur} {given}"), format!("{sur_kana} {given_kana}"))
    } else {
        (MemberKind::Person, String::new(), format!("{sur} {given}"), format!("{sur_kana} {given_kana}"))
    };
    let mut tags = Vec::new();
    if rng.chance(40) {
        tags.push(TAGS[0].to_string());
    }
    if rng.chance(15) {
        tags.push(rng.pick(&TAGS[1..]).to_string());
    }
    MemberInput {
        code: String::new(),
        kind,
        name,
        kana,
        company,
        department: if company_member && rng.chance(50) { "総務部".into() } else { String::new() },
        postal_code: postal.into(),
        prefecture: pref.into(),
        city: city.into(),
        street: format!("{town}{street}"),
        building,
        phone,
        mobile,
        fax: String::new(),
        email,
        birthday: if rng.chance(80) { (today - Duration::days(age_days as i64)).to_string() } else { String::new() },
        gender: if rng.chance(90) { Some(gender) } else { None },
        joined_on: joined.to_string(),
        valid_until: if rng.chance(30) { (joined + Duration::days(365 * (1 + rng.below(10) as i64))).to_string() } else { String::new() },
        dm_opt_out: rng.chance(5),
        notes: if rng.chance(10) { "お電話は午前中を希望。".into() } else { String::new() },
        tags,
    }
}
