//! Consumption tax as the invoice rules in formats.md want it: computed on the total per rate,
//! rounded once per rate with the shop's rounding mode, never per line. Amounts are integer yen.
use crate::settings::TaxRounding;

/// The two rates a shop sells at: 10% and the reduced 8% (food, newspapers).
pub const RATES: [i64; 2] = [10, 8];

fn divide(n: i64, d: i64, rounding: TaxRounding) -> i64 {
    // n and d are positive in practice; Euclidean division keeps negative totals (returns) correct too.
    let (q, r) = (n.div_euclid(d), n.rem_euclid(d));
    match rounding {
        TaxRounding::Floor => q,
        TaxRounding::Ceil => q + (r > 0) as i64,
        TaxRounding::Round => q + (2 * r >= d) as i64,
    }
}

/// The tax inside a tax-included total at `rate`% (total × rate / (100 + rate)).
pub fn included(total: i64, rate: i64, rounding: TaxRounding) -> i64 {
    divide(total * rate, 100 + rate, rounding)
}

/// The tax on a tax-excluded total at `rate`% (total × rate / 100).
pub fn on_top(total: i64, rate: i64, rounding: TaxRounding) -> i64 {
    divide(total * rate, 100, rounding)
}

/// A document's amounts at one rate: the tax-included total and the tax in it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct AtRate {
    pub total: i64,
    pub tax: i64,
}

/// Totals per rate from line amounts summed per rate, given as entered (with or without tax).
pub fn per_rate(sum_at_rate: i64, rate: i64, exclude_tax: bool, rounding: TaxRounding) -> AtRate {
    if exclude_tax {
        let tax = on_top(sum_at_rate, rate, rounding);
        AtRate { total: sum_at_rate + tax, tax }
    } else {
        AtRate { total: sum_at_rate, tax: included(sum_at_rate, rate, rounding) }
    }
}

/// An amount as people read it: 「¥3,980」「-¥110」.
pub fn yen(n: i64) -> String {
    let s = n.unsigned_abs().to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    format!("{}¥{out}", if n < 0 { "-" } else { "" })
}

#[cfg(test)]
mod tests {
    use super::*;
    use TaxRounding::*;

    #[test]
    fn rounded_once_per_rate() {
        // ¥1,080 at 8% included: 80 exactly; ¥1,000 at 8% included: 74.07 → 74 / 74 / 75.
        assert_eq!(included(1080, 8, Floor), 80);
        assert_eq!((included(1000, 8, Floor), included(1000, 8, Round), included(1000, 8, Ceil)), (74, 74, 75));
        // 3 lines of ¥333 at 10%: per line floor would give 30×3 = 90; once on 999 gives 90.81 → 90.
        assert_eq!(included(999, 10, Floor), 90);
        assert_eq!(on_top(999, 10, Round), 100);
        assert_eq!(per_rate(1000, 10, true, Floor), AtRate { total: 1100, tax: 100 });
        assert_eq!(per_rate(1100, 10, false, Floor), AtRate { total: 1100, tax: 100 });
        assert_eq!(included(-1100, 10, Floor), -100);
        assert_eq!((yen(3980), yen(1_000_000), yen(-110), yen(0)), ("¥3,980".into(), "¥1,000,000".into(), "-¥110".into(), "¥0".into()));
    }
}
