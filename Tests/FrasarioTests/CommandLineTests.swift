import Foundation
import Testing
@testable import Frasario

/// The `frasario` binary as the nightly scheduler and analysts call it.
@Suite("Command line: history, report, exit codes", .enabled(if: TestSupport.hasBinary, "the debug binary is not built (swift build)"))
struct CommandLineTests {
    static let binary = TestSupport.binary

    /// Runs the built binary.
    static func frasario(
        _ arguments: [String], in directory: URL = TestSupport.repositoryRoot
    ) throws -> (
        status: Int32, output: String, errors: String
    ) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: binary)
        process.arguments = arguments
        process.currentDirectoryURL = directory
        let output = Pipe(), errors = Pipe()
        process.standardOutput = output
        process.standardError = errors
        try process.run()
        let outputData = output.fileHandleForReading.readDataToEndOfFile()
        let errorData = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: outputData, as: UTF8.self), String(decoding: errorData, as: UTF8.self))
    }

    @Test(
        "shell completions for bash, zsh and fish know every command and the run options",
    )
    func shellCompletions() throws {
        for shell in ["bash", "zsh", "fish"] {
            let completion = try Self.frasario(["--generate-completion-script", shell])
            #expect(completion.status == 0, "\(shell): \(completion.errors)")
            for word in ["run", "merge", "explain", "max-call-size", "max-memory", "contact-lens"] {
                #expect(completion.output.contains(word), "\(shell) completion lacks \(word)")
            }
        }
    }

    @Test("lexicons are found beside an installed binary; none found is a stated warning; --no-lexicons with --lexicons is refused")
    func defaultLexicons() throws {
        let root = TestSupport.temporaryDirectory()
        let prefix = root.appendingPathComponent("prefix")
        try FileManager.default.createDirectory(at: prefix.appendingPathComponent("bin"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Self.binary, toPath: prefix.appendingPathComponent("bin/frasario").path)
        let samples = TestSupport.repositoryRoot.appendingPathComponent("Samples").path
        func run(_ arguments: [String]) throws -> (status: Int32, errors: String) {
            let process = Process()
            process.executableURL = prefix.appendingPathComponent("bin/frasario")
            process.arguments = arguments
            process.currentDirectoryURL = root
            let errors = Pipe()
            process.standardError = errors
            process.standardOutput = Pipe()
            try process.run()
            let data = errors.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            return (process.terminationStatus, String(decoding: data, as: UTF8.self))
        }
        // Nothing beside the binary, nothing here: counted without categories, and said so.
        let bare = try run(["run", samples, "--out", root.appendingPathComponent("sin").path, "--no-history"])
        #expect(bare.status == 0)
        #expect(bare.errors.contains("No lexicon folder was found"))
        // Installed lexicons are found.
        let share = prefix.appendingPathComponent("share/frasario/lexicons")
        try FileManager.default.createDirectory(at: share, withIntermediateDirectories: true)
        try FileManager.default.copyItem(at: TestSupport.repositoryRoot.appendingPathComponent("Lexicons/es"), to: share.appendingPathComponent("es"))
        let installed = try run(["run", samples, "--out", root.appendingPathComponent("con").path, "--no-history"])
        #expect(installed.status == 0 && installed.errors.contains("frasario: lexicon: 8 categories"))
        let contradiction = try run(["run", samples, "--no-lexicons", "--lexicons", share.path])
        #expect(contradiction.status != 0 && contradiction.errors.contains("contradict"))
    }

    @Test("a one-letter output folder, relative, with ./ or a trailing slash, gets its reports (it crashed Foundation's path code)")
    func shortOutputFolders() throws {
        let root = TestSupport.temporaryDirectory()
        let calls = TestSupport.repositoryRoot.appendingPathComponent("Samples/consultas.jsonl").path
        for out in ["o", "./p", "q/", "r/s"] {
            let run = try Self.frasario(["run", calls, "--out", out, "--quiet"], in: root)
            #expect(run.status == 0, "\(out): \(run.errors.prefix(300))")
            #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent(out).appendingPathComponent("report.json").path), "\(out)")
        }
        let partial = try Self.frasario(["count", calls, "--partial", "c.frp", "--quiet"], in: root)
        #expect(partial.status == 0, "\(partial.errors.prefix(300))")
        #expect(PathText.parent("o") == "" && PathText.parent("/o") == "/" && PathText.parent("a/b//") == "a" && PathText.parent("/") == "/")
        #expect(PathText.lastComponent("q/") == "q" && PathText.lastComponent("/") == "/" && PathText.lastComponent("r/s") == "s")
    }

    @Test(
        "under an open-file limit of 10, a merge of nine partials reads them side by side and writes the reports of a merge without limit: a merge holds a few files open, whatever the number of partials"
    )
    func mergeUnderLowOpenFileLimit() throws {
        let root = TestSupport.temporaryDirectory()
        let samples = TestSupport.repositoryRoot.appendingPathComponent("Samples")
        let inputs =
            try FileManager.default.contentsOfDirectory(atPath: samples.appendingPathComponent("banco").path).sorted().prefix(7)
            .map { samples.appendingPathComponent("banco/\($0)").path } + ["consultas.jsonl", "telecom.jsonl"].map { samples.appendingPathComponent($0).path }
        var partials: [String] = []
        for (index, input) in inputs.enumerated() {
            let partial = root.appendingPathComponent("p\(index).frp").path
            let counted = try Self.frasario(["count", input, "--partial", partial, "--quiet"], in: root)
            #expect(counted.status == 0, "\(counted.errors.prefix(300))")
            partials.append(partial)
        }
        let free = try Self.frasario(["merge"] + partials + ["--out", "libre", "--no-history", "--date", "2026-11-21", "--quiet"], in: root)
        #expect(free.status == 0, "\(free.errors.prefix(300))")
        let limited = try Self.frasario(
            underOpenFileLimit: 10, ["merge"] + partials + ["--out", "limitado", "--no-history", "--date", "2026-11-21", "--quiet"], in: root)
        #expect(limited.status == 0, "\(limited.errors.prefix(300))")
        for name in ["report.json", "phrases.csv", "categories.csv", "report.md", "digest.md"] {
            let limited = try Data(contentsOf: root.appendingPathComponent("limitado/\(name)"))
            #expect(limited == (try Data(contentsOf: root.appendingPathComponent("libre/\(name)"))), "\(name)")
        }
    }

    @Test(
        "an open-file limit too low is one sentence naming the limit and exit 1, never a trap: before anything starts when fewer than 5 files are free, else when the run's spools are created"
    )
    func runUnderTooLowOpenFileLimit() throws {
        let root = TestSupport.temporaryDirectory()
        let samples = TestSupport.repositoryRoot.appendingPathComponent("Samples").path
        for limit in [4, 6, 9, 10, 12] {
            let (status, message) = try Self.frasario(
                underOpenFileLimit: limit, ["run", samples, "--threads", "2", "--out", "informes", "--no-history", "--quiet"], in: root)
            // Whether a limit is enough depends on the descriptors the process inherits: it
            // runs, or it says why not; it never traps.
            #expect(status == 0 || status == 1, "ulimit -n \(limit): \(message.prefix(300))")
            if limit == 4 || status == 1 {
                #expect(status == 1)
                #expect(message.contains("(ulimit -n) is \(limit)") || message.contains("ulimit -n, is \(limit))"), "ulimit -n \(limit): \(message.prefix(300))")
                #expect(message.split(separator: "\n").count == 1, "one sentence: \(message.prefix(300))")
            }
        }
    }

    /// Runs the built binary with `limit` open files, set by a shell for it alone (soft and
    /// hard: it cannot raise it); returns its exit status and stderr.
    static func frasario(underOpenFileLimit limit: Int, _ arguments: [String], in directory: URL) throws -> (status: Int32, errors: String) {
        try shell("ulimit -n \(limit) && exec \"$0\" \"$@\"", arguments: arguments, in: directory)
    }

    /// Three partials of the samples (bank folder, consultations, telecom) in a fresh folder,
    /// merged once into `una/` as the reference; the merge options every variant uses.
    static func samplePartialsMergedOnce() throws -> (root: URL, partials: [String], options: [String]) {
        let root = TestSupport.temporaryDirectory()
        let samples = TestSupport.repositoryRoot.appendingPathComponent("Samples")
        var partials: [String] = []
        for (index, input) in ["banco", "consultas.jsonl", "telecom.jsonl"].enumerated() {
            let partial = root.appendingPathComponent("p\(index).frp").path
            let counted = try Self.frasario(["count", samples.appendingPathComponent(input).path, "--partial", partial, "--quiet"], in: root)
            #expect(counted.status == 0, "\(counted.errors.prefix(300))")
            partials.append(partial)
        }
        let options = ["--no-history", "--date", "2026-11-21", "--quiet"]
        let plain = try Self.frasario(["merge"] + partials + ["--out", "una"] + options, in: root)
        #expect(plain.status == 0, "\(plain.errors.prefix(300))")
        return (root, partials, options)
    }

    @Test("merge --quote-plan, two merge --quote tasks and merge --quote-from write the reports of one merge; half-given quote options are refused")
    func mergeWithQuoteTasks() throws {
        let (root, partials, options) = try Self.samplePartialsMergedOnce()
        let plan = try Self.frasario(["merge"] + partials + ["--quote-plan", "plan.frq"] + options, in: root)
        #expect(plan.status == 0, "\(plan.errors.prefix(300))")
        for (name, group) in [("q0.frr", Array(partials.prefix(2))), ("q1.frr", [partials[2]])] {
            let task = try Self.frasario(["merge"] + group + ["--quote", "plan.frq", "--quote-out", name, "--quiet"], in: root)
            #expect(task.status == 0, "\(task.errors.prefix(300))")
        }
        let final = try Self.frasario(
            ["merge"] + partials + ["--quote-from", "plan.frq", "--quote-result", "q1.frr", "--quote-result", "q0.frr", "--out", "tareas"] + options,
            in: root)
        #expect(final.status == 0, "\(final.errors.prefix(300))")
        for name in ["report.json", "phrases.csv", "categories.csv", "report.md", "digest.md"] {
            let tasks = try Data(contentsOf: root.appendingPathComponent("tareas/\(name)"))
            #expect(tasks == (try Data(contentsOf: root.appendingPathComponent("una/\(name)"))), "\(name)")
        }
        let missing = try Self.frasario(["merge"] + partials + ["--quote-from", "plan.frq", "--quote-result", "q0.frr", "--out", "x"] + options, in: root)
        #expect(missing.status != 0 && missing.errors.contains("no quote result scanned partial(s) 3"), "\(missing.errors.prefix(300))")
        let half = try Self.frasario(["merge"] + partials + ["--quote", "plan.frq"], in: root)
        #expect(half.status == 2 && half.errors.contains("--quote and --quote-out go together"), "\(half.errors.prefix(300))")
        let unplanned = try Self.frasario(["merge"] + partials + ["--quote-result", "q0.frr", "--out", "x"], in: root)
        #expect(unplanned.status == 2 && unplanned.errors.contains("--quote-result and --quote-from go together"))
        let unawaited = try Self.frasario(["merge"] + partials + ["--await-quote-results", "--out", "x"], in: root)
        #expect(unawaited.status == 2 && unawaited.errors.contains("--await-quote-results goes with --quote-plan"))
    }

    @Test(
        "merge --quote-plan --await-quote-results says when the plan is written, takes the quote results on stdin and writes the reports of one merge; stdin closed without results writes none"
    )
    func mergeAwaitsQuoteResultsOnStandardInput() throws {
        let (root, partials, options) = try Self.samplePartialsMergedOnce()
        /// Starts the waiting merge; returns it with its stdin, stdout and stderr.
        func awaiting(_ out: String) throws -> (Process, FileHandle, FileHandle, FileHandle) {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Self.binary)
            process.arguments = ["merge"] + partials + ["--quote-plan", "\(out).frq", "--await-quote-results", "--out", out] + options
            process.currentDirectoryURL = root
            let input = Pipe(), output = Pipe(), errors = Pipe()
            process.standardInput = input
            process.standardOutput = output
            process.standardError = errors
            try process.run()
            return (process, input.fileHandleForWriting, output.fileHandleForReading, errors.fileHandleForReading)
        }
        let (merge, input, output, errors) = try awaiting("espera")
        var said = Data()
        while !said.contains(UInt8(ascii: "\n")), let byte = try output.read(upToCount: 1), !byte.isEmpty { said.append(byte) }
        #expect(String(decoding: said, as: UTF8.self) == "quote plan written\n")
        #expect(FileManager.default.fileExists(atPath: root.appendingPathComponent("espera.frq").path))
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("espera/report.json").path), "no report before the quote results")
        for (name, group) in [("e0.frr", Array(partials.prefix(2))), ("e1.frr", [partials[2]])] {
            let task = try Self.frasario(["merge"] + group + ["--quote", "espera.frq", "--quote-out", name, "--quiet"], in: root)
            #expect(task.status == 0, "\(task.errors.prefix(300))")
        }
        try input.write(contentsOf: Data("e0.frr\ne1.frr\n".utf8))
        try input.close()
        let stderr = errors.readDataToEndOfFile()
        merge.waitUntilExit()
        #expect(merge.terminationStatus == 0, "\(String(decoding: stderr, as: UTF8.self).prefix(300))")
        for name in ["report.json", "phrases.csv", "categories.csv", "report.md", "digest.md"] {
            let awaited = try Data(contentsOf: root.appendingPathComponent("espera/\(name)"))
            #expect(awaited == (try Data(contentsOf: root.appendingPathComponent("una/\(name)"))), "\(name)")
        }
        let (abandoned, abandonedInput, _, abandonedErrors) = try awaiting("abandonada")
        try abandonedInput.close()
        let sentence = String(decoding: abandonedErrors.readDataToEndOfFile(), as: UTF8.self)
        abandoned.waitUntilExit()
        #expect(abandoned.terminationStatus == 1)
        #expect(sentence.contains("No quote result was given on standard input"), "\(sentence.prefix(300))")
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("abandonada/report.json").path))
    }

    @Test("a mistyped command is named with the nearest one; a missing history is one sentence, not the usage")
    func mistypedCommandAndMissingHistory() throws {
        let typo = try Self.frasario(["reprot", "--date", "2026-11-21"])
        #expect(typo.status == 2)
        #expect(typo.errors.contains("«reprot» is not a command") && typo.errors.contains("Did you mean «report»?"))
        let missing = TestSupport.temporaryDirectory().appendingPathComponent("no-existe.sqlite").path
        let history = try Self.frasario(["history", "--history", missing])
        #expect(history.status == 2)
        #expect(history.errors.contains("There is no history at \(missing)") && !history.errors.contains("Usage:"))
    }

    @Test("re-running a recorded night says that it replaced the earlier run's figures")
    func rerunIsAnnounced() throws {
        let root = TestSupport.temporaryDirectory()
        let night = HistoryTests.week.appendingPathComponent("2026-11-21").path
        let arguments = ["run", night, "--out", root.appendingPathComponent("noche").path, "--date", "2026-11-21", "--no-lexicons"]
        let first = try Self.frasario(arguments), second = try Self.frasario(arguments)
        #expect(first.status == 0 && !first.errors.contains("already held"))
        #expect(second.status == 0 && second.errors.contains("the history already held 2026-11-21"))
    }

    @Test("a closed standard error never stops a run: messages are dropped, the reports are written")
    func closedStandardError() throws {
        let out = TestSupport.temporaryDirectory().appendingPathComponent("informes").path
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "exec \"$0\" run Samples --out \"$1\" --no-history 2>&-", Self.binary, out]
        process.currentDirectoryURL = TestSupport.repositoryRoot
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        #expect(FileManager.default.fileExists(atPath: out + "/report.json"))
    }

    @Test("two nights with --date share the history beside --out; history lists them; report re-renders one")
    func historyAndReportCommands() throws {
        let root = TestSupport.temporaryDirectory()
        let week = HistoryTests.week.path
        for night in ["2026-11-21", "2026-11-22"] {
            let run = try Self.frasario([
                "run", "\(week)/\(night)", "--out", root.appendingPathComponent(night).path,
                "--date", night, "--no-lexicons", "--quiet",
            ])
            #expect(run.status == 0, "\(run.errors)")
        }
        let history = root.appendingPathComponent("frasario.sqlite").path
        #expect(FileManager.default.fileExists(atPath: history))
        let listed = try Self.frasario(["history", "--history", history])
        #expect(listed.status == 0)
        #expect(listed.output.contains("2 run(s)"))
        #expect(listed.output.contains("2026-11-21") && listed.output.contains("2026-11-22"))

        let again = root.appendingPathComponent("again")
        let report = try Self.frasario(["report", "--history", history, "--date", "2026-11-21", "--out", again.path])
        #expect(report.status == 0, "\(report.errors)")
        for name in ReportWriter.fileNames where name != "timings.json" {
            #expect(try Data(contentsOf: root.appendingPathComponent("2026-11-21/\(name)")) == Data(contentsOf: again.appendingPathComponent(name)), "\(name)")
        }
        let trends = try String(contentsOf: root.appendingPathComponent("2026-11-22/phrases.csv"), encoding: .utf8)
        #expect(trends.contains(",new,") || trends.contains(",up,"))

        let missing = try Self.frasario(["report", "--history", history, "--date", "2026-01-01", "--out", again.path])
        #expect(missing.status == 1)
        #expect(missing.errors.contains("has no run dated 2026-01-01") && missing.errors.contains(history))
    }

    @Test("bad dates and contradictory history flags are usage errors (exit 2)")
    func usageErrors() throws {
        let out = TestSupport.temporaryDirectory().path
        let badDate = try Self.frasario(["run", "Samples", "--out", out, "--date", "2026-13-01"])
        #expect(badDate.status == 2)
        #expect(badDate.errors.contains("--date must be a date such as 2026-11-21"))
        let both = try Self.frasario(["run", "Samples", "--out", out, "--history", "h.sqlite", "--no-history"])
        #expect(both.status == 2)
        let absent = try Self.frasario(["history", "--history", "\(out)/nada.sqlite"])
        #expect(absent.status == 2)
        #expect(absent.errors.contains("There is no history at"))
    }

    /// Runs `script` in /bin/sh with `$0` the frasario binary and `arguments` as `$@`, in `directory`.
    static func shell(_ script: String, arguments: [String] = [], in directory: URL) throws -> (status: Int32, errors: String) {
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/sh")
        shell.arguments = ["-c", script, binary] + arguments
        shell.currentDirectoryURL = directory
        let errors = Pipe()
        shell.standardError = errors
        try shell.run()
        let message = String(decoding: errors.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        shell.waitUntilExit()
        return (shell.terminationStatus, message)
    }

    @Test("a named pipe nobody writes to reads as empty, standard input named twice is read once, a missing TMPDIR is one sentence")
    func namedPipesStandardInputAndTemporaryFolder() throws {
        let directory = TestSupport.temporaryDirectory()
        #expect(mkfifo(directory.appendingPathComponent("llamadas.txt").path, 0o600) == 0)
        let pipe = try Self.shell("timeout 60 \"$0\" run llamadas.txt --out pipe --no-history --quiet", in: directory)
        #expect(pipe.status != 124 && pipe.status < 128, "status \(pipe.status): \(pipe.errors)")
        let rejects = try String(contentsOf: directory.appendingPathComponent("pipe/rejects.csv"), encoding: .utf8)
        #expect(rejects.contains("llamadas.txt,0,empty file"))

        let twice = try Self.shell("printf 'CLIENTE: hola buenas tardes no me llega el código\\n' | \"$0\" run - - --out twice --no-history --quiet", in: directory)
        #expect(twice.status == 0, "\(twice.errors)")
        let report = try String(contentsOf: directory.appendingPathComponent("twice/report.json"), encoding: .utf8)
        #expect(report.contains("\"calls_read\" : 1,"))

        let samples = TestSupport.repositoryRoot.appendingPathComponent("Samples/telecom.jsonl").path
        let missing = directory.appendingPathComponent("no-existe").path
        let temporary = try Self.shell("TMPDIR=\(missing) \"$0\" run \(samples) --out tmp --no-history --quiet", in: directory)
        #expect(temporary.status == 1)
        #expect(temporary.errors.contains("TMPDIR") && !temporary.errors.contains("NSCocoaErrorDomain"), "\(temporary.errors)")
        #expect(temporary.errors.split(separator: "\n").count == 1)
        #expect(!FileManager.default.fileExists(atPath: missing))
    }
}
