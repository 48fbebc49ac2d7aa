import Foundation
import Testing

#if canImport(FoundationXML)
    import FoundationXML
#endif

/// A chart's markup read back with `XMLParser`, which fails on anything that is not well-formed
/// XML.
struct ParsedSVG {
    struct Element {
        let name: String
        let attributes: [String: String]
        /// The text directly inside the element, without its children's text.
        var text = ""
        /// The text of a `<title>` child, if any.
        var tooltip: String?
    }

    private(set) var elements: [Element] = []

    init(_ markup: String) throws {
        let reader = Reader()
        let parser = XMLParser(data: Data(markup.utf8))
        parser.delegate = reader
        guard parser.parse() else {
            throw ParseFailure(description: String(describing: parser.parserError))
        }
        elements = reader.elements
    }

    var root: Element { elements[0] }

    func count(_ name: String) -> Int {
        elements.filter { $0.name == name }.count
    }

    func all(_ name: String) -> [Element] {
        elements.filter { $0.name == name }
    }

    func element(withID id: String) -> Element? {
        elements.first { $0.attributes["id"] == id }
    }

    /// Tooltips of the elements named `name`, in document order.
    func tooltips(of name: String) -> [String] {
        all(name).compactMap(\.tooltip)
    }

    /// Texts of the `<text>` elements, in document order.
    var texts: [String] { all("text").map(\.text) }

    struct ParseFailure: Error, CustomStringConvertible {
        let description: String
    }

    private final class Reader: NSObject, XMLParserDelegate {
        var elements: [Element] = []
        private var open: [Int] = []

        func parser(
            _ parser: XMLParser, didStartElement name: String, namespaceURI: String?,
            qualifiedName: String?, attributes: [String: String]
        ) {
            open.append(elements.count)
            elements.append(Element(name: name, attributes: attributes))
        }

        func parser(_ parser: XMLParser, foundCharacters string: String) {
            guard let current = open.last else { return }
            elements[current].text += string
        }

        func parser(
            _ parser: XMLParser, didEndElement name: String, namespaceURI: String?,
            qualifiedName: String?
        ) {
            let closed = open.removeLast()
            if name == "title", let parent = open.last {
                elements[parent].tooltip = elements[closed].text
            }
        }
    }
}
