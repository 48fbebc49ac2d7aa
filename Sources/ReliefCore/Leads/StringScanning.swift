extension String {
    /// The text without white space or line breaks at either end; a copy-free check first,
    /// since most values have none.
    var trimmed: String {
        if let first = utf8.first, let last = utf8.last, (0x21..<0x80).contains(first),
            (0x21..<0x80).contains(last)
        {
            return self
        }
        let scalars = unicodeScalars
        var start = scalars.startIndex
        var end = scalars.endIndex
        while start < end, scalars[start].properties.isWhitespace {
            start = scalars.index(after: start)
        }
        while end > start, scalars[scalars.index(before: end)].properties.isWhitespace {
            end = scalars.index(before: end)
        }
        return String(self[start..<end])
    }

    /// The runs of ASCII digits between single `separators` bytes ("12345-6789" is "12345"
    /// and "6789"); nil when the text holds anything else or an empty run.
    func digitGroups(separatedBy separators: Set<UInt8>) -> [ArraySlice<UInt8>]? {
        let bytes = Array(utf8)
        let groups = bytes.split(omittingEmptySubsequences: false) { separators.contains($0) }
        let valid = groups.allSatisfy {
            !$0.isEmpty && $0.allSatisfy { (0x30...0x39).contains($0) }
        }
        return valid ? groups : nil
    }
}
