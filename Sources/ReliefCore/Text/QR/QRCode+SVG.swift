extension QRCode {
    /// The symbol as a standalone `<svg>` element: black modules on a white background in every
    /// colour scheme, since scanners need the contrast. It is labelled by a `<title>` holding
    /// `title` for screen readers, uses presentation attributes rather than inline styles (so a
    /// strict Content-Security-Policy allows it), and draws the dark modules as one path of
    /// horizontal runs.
    /// - Parameters:
    ///   - title: The accessible name, such as "QR code for your authenticator app".
    ///   - moduleSize: Pixels per module in the `width` and `height` attributes.
    ///   - quietZone: Light modules around the symbol; the standard asks for 4.
    public func svg(title: String, moduleSize: Int = 4, quietZone: Int = 4) -> String {
        let side = size + 2 * quietZone
        let pixels = side * moduleSize
        let titleID = "qr-" + fingerprint(title: title)
        var path = ""
        for y in 0..<size {
            var x = 0
            while x < size {
                guard isDark(x: x, y: y) else {
                    x += 1
                    continue
                }
                let runStart = x
                while isDark(x: x, y: y) { x += 1 }
                let length = x - runStart
                path += "M\(runStart + quietZone) \(y + quietZone)h\(length)v1h-\(length)z"
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\""
            + " aria-labelledby=\"\(titleID)\" viewBox=\"0 0 \(side) \(side)\""
            + " width=\"\(pixels)\" height=\"\(pixels)\" shape-rendering=\"crispEdges\">"
            + "<title id=\"\(titleID)\">\(SVGCanvas.escaped(title))</title>"
            + "<rect width=\"\(side)\" height=\"\(side)\" fill=\"#fff\"/>"
            + "<path fill=\"#000\" d=\"\(path)\"/>"
            + "</svg>"
    }

    /// FNV-1a over the title and the modules, in base 36, so that different codes on one page
    /// get different title ids and equal input gives equal output.
    private func fingerprint(title: String) -> String {
        let bytes = Array(title.utf8) + [0] + modules.map { $0 ? 1 : 0 }
        let hash = bytes.reduce(0xcbf2_9ce4_8422_2325 as UInt64) { hash, byte in
            (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
        }
        return String(hash, radix: 36)
    }
}
