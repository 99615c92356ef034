/// The dashboard's bar charts, drawn by the server as inline SVG (no chart library, no
/// script): one `rect` per data point, each with a `title` (its exact value, read out by
/// screen readers and shown on hover), the value written above it, and labels under it.
/// Everything written into the SVG is escaped here: this is the one markup the templates
/// insert unescaped.
struct RedemptionChart {
    struct Bar {
        var label: String
        var value: Int
        /// Its full name, for the tooltip (the label may be shortened).
        var title: String
    }

    var id: String
    var caption: String
    var bars: [Bar]
    /// Wide enough for its label (a day's two digits, a serial's last six characters).
    var barWidth = 28

    func svg() -> String {
        let gap = 10, left = 36, top = 20, plotHeight = 140, bottom = 48
        let width = left + max(1, bars.count) * (barWidth + gap) + gap
        let height = top + plotHeight + bottom
        let maxValue = max(1, bars.map(\.value).max() ?? 0)
        var out = """
            <svg id="\(id)" class="chart" role="img" aria-labelledby="\(id)-title" viewBox="0 0 \(width) \(height)" \
            width="\(width)" height="\(height)" xmlns="http://www.w3.org/2000/svg"><title id="\(id)-title">\(Self.escape(caption))</title>
            <line class="axis" x1="\(left)" y1="\(top + plotHeight)" x2="\(width - gap / 2)" y2="\(top + plotHeight)"/>
            <text x="\(left - 6)" y="\(top + 4)" text-anchor="end">\(maxValue)</text>
            <text x="\(left - 6)" y="\(top + plotHeight)" text-anchor="end">0</text>
            """
        for (index, bar) in bars.enumerated() {
            let x = left + gap + index * (barWidth + gap)
            let barHeight = bar.value == 0 ? 0 : max(2, bar.value * plotHeight / maxValue)
            let y = top + plotHeight - barHeight
            out += """
                <g><rect class="bar" x="\(x)" y="\(y)" width="\(barWidth)" height="\(barHeight)" data-value="\(bar.value)">\
                <title>\(Self.escape(bar.title)): \(bar.value)</title></rect>\
                <text x="\(x + barWidth / 2)" y="\(y - 4)" text-anchor="middle">\(bar.value)</text>\
                <text x="\(x + barWidth / 2)" y="\(top + plotHeight + 14)" text-anchor="middle">\(Self.escape(bar.label))</text></g>
                """
        }
        return out + "</svg>"
    }

    /// Text and attribute values: the five characters that matter in XML.
    static func escape(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.append(character)
            }
        }
        return out
    }
}
