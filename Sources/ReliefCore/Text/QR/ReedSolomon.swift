/// Reed–Solomon error correction as QR codes use it (ISO/IEC 18004 §7.5.2): arithmetic in
/// GF(256) built on the primitive polynomial x⁸ + x⁴ + x³ + x² + 1 (0x11D) with α = 2, and a
/// generator polynomial of degree n whose roots are α⁰ … αⁿ⁻¹.
enum ReedSolomon {
    /// `powers[i]` is αⁱ, for i in 0..<255.
    private static let powers: [UInt8] = {
        var table: [UInt8] = []
        var value = 1
        for _ in 0..<255 {
            table.append(UInt8(value))
            value <<= 1
            if value > 0xFF { value ^= 0x11D }
        }
        return table
    }()

    /// `logarithms[v]` is the i with αⁱ = v, for every nonzero v.
    private static let logarithms: [Int] = {
        var table = [Int](repeating: 0, count: 256)
        for (exponent, value) in powers.enumerated() { table[Int(value)] = exponent }
        return table
    }()

    /// The `count` error correction codewords for `data`: the remainder of data(x)·xⁿ divided by
    /// the generator polynomial of degree n = `count`, highest power first.
    static func errorCorrection(for data: [UInt8], count: Int) -> [UInt8] {
        let generator = generatorPolynomial(degree: count)
        var remainder = [UInt8](repeating: 0, count: count)
        for codeword in data {
            let factor = codeword ^ remainder.removeFirst()
            remainder.append(0)
            for index in 0..<count {
                remainder[index] ^= multiply(generator[index], factor)
            }
        }
        return remainder
    }

    /// The coefficients of (x − α⁰)(x − α¹)…(x − αⁿ⁻¹), highest power first, without the leading 1.
    private static func generatorPolynomial(degree: Int) -> [UInt8] {
        var coefficients: [UInt8] = [1]
        for exponent in 0..<degree {
            // Multiply by (x + αⁱ); in GF(256) subtraction is addition is XOR.
            var product = coefficients + [0]
            for (index, coefficient) in coefficients.enumerated() {
                product[index + 1] ^= multiply(coefficient, powers[exponent])
            }
            coefficients = product
        }
        return Array(coefficients.dropFirst())
    }

    private static func multiply(_ left: UInt8, _ right: UInt8) -> UInt8 {
        guard left != 0, right != 0 else { return 0 }
        return powers[(logarithms[Int(left)] + logarithms[Int(right)]) % 255]
    }
}
