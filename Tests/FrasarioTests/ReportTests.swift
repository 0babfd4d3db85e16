import Foundation
import Testing

@testable import Frasario

/// The Report stage on its own: it renders a `RunResult` (and the rejects), nothing else.
@Suite("Report: rendering a RunResult")
struct ReportTests {
    static func samplesRun() throws -> (result: RunResult, out: URL) {
        let out = TestSupport.temporaryDirectory()
        var configuration = PipelineConfiguration(
            inputs: [TestSupport.samples], outputDirectory: out.path, threads: 2,
            lexiconDirectory: TestSupport.lexicons)
        configuration.runDate = "2026-11-21"
        return (try Pipeline.run(configuration).result, out)
    }

    @Test("every report re-renders byte for byte from report.json alone, as `frasario report` does from the history")
    func reportsRerenderFromJSON() throws {
        let (_, out) = try Self.samplesRun()
        let decoded = try RunResult.decode(try Data(contentsOf: out.appendingPathComponent("report.json")))
        let rejects = try String(contentsOf: out.appendingPathComponent("rejects.csv"), encoding: .utf8)
        let files = try ReportWriter.reports(decoded, rejectsCSV: rejects)
        #expect(files.count >= 8)
        for file in files {
            #expect(file.contents == (try Data(contentsOf: out.appendingPathComponent(file.name))), "\(file.name) differs when re-rendered")
        }
    }

    @Test("a personal-data figure an older report lacks is shown as «desconocido», never as 0")
    func unknownMaskFiguresAreUnknown() throws {
        var (result, _) = try Self.samplesRun()
        result.summary.piiMasked.address = nil
        result.summary.piiMasked.birthDate = nil
        let markdown = MarkdownReport.render(result)
        let line = try #require(markdown.split(separator: "\n").first { $0.contains("Datos personales enmascarados") })
        #expect(line.hasSuffix("/ desconocido / desconocido |"))
        #expect(HTMLReport.render(result).contains("direcciones desconocido · fechas de nacimiento desconocido"))
    }

    @Test("text from the input is escaped: HTML everywhere, and `|` and line breaks in Markdown table cells")
    func inputTextIsEscaped() {
        #expect(HTMLPage.escape("<img src=x onerror=alert(1)> & \"hola\" 'adiós'") == "&lt;img src=x onerror=alert(1)&gt; &amp; &quot;hola&quot; &#39;adiós&#39;")
        #expect(MarkdownReport.cell("tel|0001\n<b>") == "tel\\|0001 &lt;b&gt;")
        #expect(MarkdownReport.cell("dijo \"ya\"") == "dijo \"ya\"")
    }
}
