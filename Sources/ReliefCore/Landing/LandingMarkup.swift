/// The small text format of landing page bodies, rendered to safe HTML: paragraphs (separated
/// by blank lines), `# ` and `## ` headings, `- ` list items, `**bold**` and
/// `[text](https://…)` links. Everything else is text: every character is HTML-escaped, and
/// only absolute `http`/`https` links become anchors (anything else stays as typed).
public enum LandingMarkup {
    /// The body as HTML.
    public static func html(_ source: String) -> String {
        var output = ""
        var paragraph: [String] = []
        var items: [String] = []
        func closeParagraph() {
            guard !paragraph.isEmpty else { return }
            output += "<p>" + paragraph.map(inline).joined(separator: "<br>") + "</p>\n"
            paragraph = []
        }
        func closeList() {
            guard !items.isEmpty else { return }
            output += "<ul>" + items.map { "<li>" + inline($0) + "</li>" }.joined() + "</ul>\n"
            items = []
        }
        let lines = source.replacingOccurrences(of: "\r\n", with: "\n").split(
            separator: "\n", omittingEmptySubsequences: false)
        for rawLine in lines {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty {
                closeParagraph()
                closeList()
            } else if line.hasPrefix("## ") {
                closeParagraph()
                closeList()
                output += "<h3>" + inline(String(line.dropFirst(3))) + "</h3>\n"
            } else if line.hasPrefix("# ") {
                closeParagraph()
                closeList()
                output += "<h2>" + inline(String(line.dropFirst(2))) + "</h2>\n"
            } else if line.hasPrefix("- ") {
                closeParagraph()
                items.append(String(line.dropFirst(2)))
            } else {
                closeList()
                paragraph.append(line)
            }
        }
        closeParagraph()
        closeList()
        return output
    }

    /// One line: bold and links, the rest escaped.
    static func inline(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while !rest.isEmpty {
            if rest.hasPrefix("**"), let end = rest.dropFirst(2).range(of: "**"),
                end.lowerBound > rest.index(rest.startIndex, offsetBy: 2)
            {
                let inner = rest[rest.index(rest.startIndex, offsetBy: 2)..<end.lowerBound]
                output += "<strong>" + links(String(inner)) + "</strong>"
                rest = rest[end.upperBound...]
                continue
            }
            let next = rest.dropFirst().range(of: "**")?.lowerBound ?? rest.endIndex
            output += links(String(rest[..<next]))
            rest = rest[next...]
        }
        return output
    }

    /// Links in a run of text, the rest escaped.
    static func links(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "[") {
            output += escape(rest[..<open])
            let afterOpen = rest.index(after: open)
            guard let close = rest[afterOpen...].range(of: "]("),
                let end = rest[close.upperBound...].firstIndex(of: ")")
            else {
                output += escape(rest[open...])
                return output
            }
            let label = rest[afterOpen..<close.lowerBound]
            let url = String(rest[close.upperBound..<end])
            if !label.isEmpty, isWebURL(url) {
                output +=
                    "<a href=\"" + escape(url[...]) + "\" rel=\"noopener noreferrer\">"
                    + escape(label) + "</a>"
            } else {
                output += escape(rest[open...end])
            }
            rest = rest[rest.index(after: end)...]
        }
        output += escape(rest)
        return output
    }

    /// An absolute `http`/`https` URL with a host and no spaces, quotes or angle brackets.
    public static func isWebURL(_ url: String) -> Bool {
        let lower = url.lowercased()
        guard lower.hasPrefix("https://") || lower.hasPrefix("http://") else { return false }
        let host = lower.drop { $0 != "/" }.dropFirst(2).prefix { $0 != "/" && $0 != "?" }
        return !host.isEmpty
            && !url.unicodeScalars.contains {
                $0.value <= 0x20 || $0 == "\"" || $0 == "'" || $0 == "<" || $0 == ">"
                    || $0 == "\\" || $0 == "`" || $0.value == 0x7F
            }
    }

    /// HTML-escapes text for element content and attribute values.
    public static func escape(_ text: Substring) -> String {
        var output = ""
        output.reserveCapacity(text.utf8.count)
        for character in text {
            switch character {
            case "&": output += "&amp;"
            case "<": output += "&lt;"
            case ">": output += "&gt;"
            case "\"": output += "&quot;"
            case "'": output += "&#39;"
            default: output.append(character)
            }
        }
        return output
    }
}

/// Landing page addresses: `/p/{slug}`.
public enum LandingSlug {
    /// Why `slug` cannot be a page address, or nil when it can: 2 to 60 lower-case letters,
    /// digits and single dashes, starting and ending with a letter or digit.
    public static func problem(_ slug: String) -> String? {
        let valid =
            (2...60).contains(slug.utf8.count)
            && slug.utf8.allSatisfy {
                (UInt8(ascii: "a")...UInt8(ascii: "z")).contains($0)
                    || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0)
                    || $0 == UInt8(ascii: "-")
            }
            && !slug.hasPrefix("-") && !slug.hasSuffix("-") && !slug.contains("--")
        return valid
            ? nil
            : "Use 2 to 60 lower-case letters, digits and single dashes, like debt-help."
    }

    /// The slug of a beacon's page path (`/p/debt-help` → `debt-help`), or nil.
    public static func fromPath(_ path: String) -> String? {
        guard path.hasPrefix("/p/") else { return nil }
        var slug = path.dropFirst(3)
        if slug.hasSuffix("/") { slug = slug.dropLast() }
        let text = String(slug)
        return problem(text) == nil ? text : nil
    }
}
