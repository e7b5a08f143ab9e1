import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// An element seen by the XML parser: its name, attributes and directly contained text.
struct ParsedElement {
    var name: String
    var attributes: [String: String]
    var text: String
}

/// Parses `document` as XML; nil if it is not well-formed. Elements come in document order.
func parseXML(_ document: String) -> [ParsedElement]? {
    let collector = ElementCollector()
    let parser = XMLParser(data: Data(document.utf8))
    parser.delegate = collector
    guard parser.parse() else { return nil }
    return collector.elements
}

private final class ElementCollector: NSObject, XMLParserDelegate {
    var elements: [ParsedElement] = []
    private var open: [Int] = []

    func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                qualifiedName: String?, attributes: [String: String] = [:]) {
        open.append(elements.count)
        elements.append(ParsedElement(name: elementName, attributes: attributes, text: ""))
    }

    func parser(_ parser: XMLParser, didEndElement elementName: String, namespaceURI: String?, qualifiedName: String?) {
        open.removeLast()
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let index = open.last { elements[index].text += string }
    }
}

/// The numbers in an SVG path `d` attribute, grouped by subpath (each "M" starts one),
/// as (x, y) pairs. Only M, L and Z commands occur in the plots.
func subpaths(_ d: String) -> [[(x: Double, y: Double)]] {
    var result: [[(x: Double, y: Double)]] = []
    for piece in d.split(separator: "M") {
        let numbers = piece.replacingOccurrences(of: "Z", with: "")
            .split(whereSeparator: { $0 == "L" || $0 == "," || $0 == " " })
            .map { Double($0)! }
        result.append(stride(from: 0, to: numbers.count, by: 2).map { (numbers[$0], numbers[$0 + 1]) })
    }
    return result
}
