/// A QR code symbol (ISO/IEC 18004) holding a text in byte mode as UTF-8, such as an
/// `otpauth://` provisioning URI for an authenticator app.
///
/// ``encode(_:errorCorrection:)`` picks the smallest of the 40 versions that fits and the mask
/// with the lowest penalty score; ``svg(title:moduleSize:quietZone:)`` draws the result.
public struct QRCode: Sendable {
    /// How much damage the symbol survives: about 7 %, 15 %, 25 % or 30 % of its codewords.
    /// Higher levels leave less room for data.
    public enum ErrorCorrection: Sendable {
        case low
        case medium
        case quartile
        case high
    }

    /// Why a text could not be encoded.
    public enum Failure: Error, Equatable {
        /// The text's UTF-8 takes `bytes` bytes, more than the `capacity` of the largest symbol,
        /// version 40, at the requested error correction level.
        case tooLong(bytes: Int, capacity: Int)
    }

    /// Modules (squares) per side, without the quiet zone: 21 for version 1 up to 177 for 40.
    public let size: Int

    /// The symbol version, 1 through 40, which sets the size and the capacity.
    public let version: Int

    /// The mask pattern (0...7) applied to the data modules.
    let mask: Int

    /// Dark modules, row by row.
    let modules: [Bool]

    /// Whether the module in column `x` and row `y`, counted from the top-left corner, is dark.
    /// Modules outside the symbol belong to the quiet zone and are light.
    public func isDark(x: Int, y: Int) -> Bool {
        guard (0..<size).contains(x), (0..<size).contains(y) else { return false }
        return modules[y * size + x]
    }

    /// Encodes `text` as UTF-8 in byte mode, in the smallest version that holds it at
    /// `errorCorrection`.
    /// - Throws: ``Failure/tooLong(bytes:capacity:)`` when even version 40 is too small.
    public static func encode(
        _ text: String, errorCorrection: ErrorCorrection = .medium
    ) throws -> QRCode {
        try encode(text, errorCorrection: errorCorrection, mask: nil)
    }

    /// Encodes `text` with mask pattern `mask` (0...7), or with the one of lowest penalty score
    /// when `mask` is nil.
    static func encode(
        _ text: String, errorCorrection: ErrorCorrection, mask: Int?
    ) throws -> QRCode {
        let bytes = Array(text.utf8)
        let layouts = (1...40).lazy.map {
            QRBlockLayout(version: $0, errorCorrection: errorCorrection)
        }
        guard let layout = layouts.first(where: { $0.byteCapacity >= bytes.count }) else {
            let largest = QRBlockLayout(version: 40, errorCorrection: errorCorrection)
            throw Failure.tooLong(bytes: bytes.count, capacity: largest.byteCapacity)
        }
        var unmasked = QRMatrix(version: layout.version)
        unmasked.place(layout.interleavedCodewords(data: layout.dataCodewords(for: bytes)))
        let candidates = (mask.map { [$0] } ?? Array(0..<8)).map { mask in
            var matrix = unmasked
            matrix.applyMask(mask)
            matrix.drawFormatInformation(
                QRMatrix.formatInformation(errorCorrection: errorCorrection, mask: mask))
            return (mask: mask, matrix: matrix, penalty: matrix.penalty)
        }
        let best = candidates.min { $0.penalty < $1.penalty }!
        return QRCode(
            size: best.matrix.size, version: layout.version, mask: best.mask,
            modules: best.matrix.modules)
    }
}
