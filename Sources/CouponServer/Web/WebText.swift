import CouponKit
import Foundation

/// How the pages write things people read: money as "18.99 EUR" (`Money`'s own form),
/// times in words ("5 minutes ago", "yesterday", "3 Dec 2026"), prices typed into forms.
enum WebText {
    /// "just now", "12 minutes ago", "3 hours ago", "yesterday", else the day ("3 Dec 2026").
    /// `timestamp` is the ISO 8601 text the store keeps; unreadable text is shown as it is.
    static func when(_ timestamp: String, now: Date) -> String {
        guard let date = try? Date(timestamp, strategy: .iso8601) else { return timestamp }
        let seconds = now.timeIntervalSince(date)
        switch seconds {
        case ..<60: return "just now"
        case ..<3600: return plural(Int(seconds / 60), "minute") + " ago"
        case ..<86_400: return plural(Int(seconds / 3600), "hour") + " ago"
        case ..<172_800: return "yesterday"
        default: return day(date)
        }
    }

    /// "3 Dec 2026" (UTC).
    static func day(_ date: Date) -> String {
        let parts = Calendar.utc.dateComponents([.day, .month, .year], from: date)
        let months = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
        return "\(parts.day ?? 1) \(months[((parts.month ?? 1) - 1) % 12]) \(parts.year ?? 1970)"
    }

    static func plural(_ count: Int, _ noun: String) -> String { count == 1 ? "1 \(noun)" : "\(count) \(noun)s" }

    /// Minor units of a price typed as "9.99", "9.9", "9" or "1,234.50" (thousands commas
    /// dropped): at most two decimals, not negative, at most 12 whole digits. Nil otherwise.
    static func minorUnits(_ text: String) -> Int64? {
        let cleaned = text.trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: "")
        let parts = cleaned.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let whole = parts.first, !whole.isEmpty, whole.count <= 12,
            whole.allSatisfy(\.isASCII), let units = Int64(whole)
        else { return nil }
        var cents: Int64 = 0
        if parts.count == 2 {
            let fraction = parts[1]
            guard (1...2).contains(fraction.count), fraction.allSatisfy({ $0.isASCII && $0.isNumber }),
                let value = Int64(fraction)
            else { return nil }
            cents = fraction.count == 1 ? value * 10 : value
        }
        return units * 100 + cents
    }

    /// The words a page shows for a layer: which watermark named the picture.
    static func layer(_ layer: CouponLayer) -> String {
        switch layer {
        case .fragile: "Read from its fragile layer: this is the original coupon picture."
        case .robust: "Named by its robust layer: this is a copy (re-encoded, resized or cropped) of a known coupon."
        }
    }
}

extension Calendar {
    static let utc: Calendar = {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar
    }()
}
