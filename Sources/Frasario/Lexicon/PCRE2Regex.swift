import CPCRE2

/// Why a pattern did not compile: PCRE2's own message and the byte offset where it stopped.
public struct PCRE2CompileError: Error, Equatable, Sendable {
    public var message: String
    /// Offset in bytes into the compiled pattern text.
    public var offset: Int
}

/// The result of running a pattern on one subject.
public enum PCRE2MatchOutcome: Equatable, Sendable {
    /// Byte range of the first match.
    case match(Range<Int>)
    case noMatch
    /// The match or depth limit (or the JIT stack) ran out: a runaway pattern on this subject.
    case limitExceeded(String)
}

/// Resource limits for one match, so that a catastrophic pattern fails fast instead of hanging the night.
public struct PCRE2Limits: Sendable, Equatable {
    public var matchLimit: UInt32
    public var depthLimit: UInt32

    public init(matchLimit: UInt32 = 200_000, depthLimit: UInt32 = 10_000) {
        self.matchLimit = matchLimit
        self.depthLimit = depthLimit
    }
}

/// A compiled PCRE2 pattern (UTF, UCP, caseless, invalid UTF tolerated), JIT-compiled when
/// the platform allows. Immutable after init, so one instance is shared by every worker.
public final class PCRE2Regex: @unchecked Sendable {
    // SAFETY: the compiled code is never mutated after init; PCRE2 documents pcre2_match on a
    // shared pcre2_code as thread-safe when each thread brings its own match data.
    private let code: OpaquePointer
    public let pattern: String
    public let isJITCompiled: Bool

    /// Compiles `pattern`. Only this file talks to libpcre2.
    public init(_ pattern: String) throws(PCRE2CompileError) {
        var errorCode: Int32 = 0
        var errorOffset = 0
        let options = UInt32(PCRE2_UTF | PCRE2_UCP | PCRE2_CASELESS | PCRE2_MATCH_INVALID_UTF)
        let compiled: OpaquePointer? =
            pattern.utf8.withContiguousStorageIfAvailable { bytes in
                pcre2_compile_8(bytes.baseAddress, bytes.count, options, &errorCode, &errorOffset, nil)
            }
            ?? {
                let bytes = Array(pattern.utf8)
                return pcre2_compile_8(bytes, bytes.count, options, &errorCode, &errorOffset, nil)
            }()
        guard let compiled else {
            throw PCRE2CompileError(message: Self.message(for: errorCode), offset: errorOffset)
        }
        code = compiled
        self.pattern = pattern
        isJITCompiled = pcre2_jit_compile_8(compiled, UInt32(PCRE2_JIT_COMPLETE)) == 0
    }

    deinit { pcre2_code_free_8(code) }

    /// Whether the pattern can match without consuming a character (`''`, `x*`, `(a)?`, `\b`):
    /// such a pattern matches every turn. PCRE2's minimum match length is a lower bound, so a
    /// pattern it says may be empty is tried on a few subjects to find an empty match.
    public var canMatchEmpty: Bool {
        var minimum: UInt32 = 0
        guard pcre2_pattern_info_8(code, UInt32(PCRE2_INFO_MINLENGTH), &minimum) == 0, minimum == 0 else { return false }
        let scratch = PCRE2Scratch()
        for subject in ["", " ", "hola", "sí, quiero darme de baja de la línea"] {
            if case .match(let range) = firstMatch(in: subject, using: scratch), range.isEmpty { return true }
        }
        return false
    }

    /// The first match in `subject` (UTF-8 bytes), within the scratch's limits.
    public func firstMatch(in subject: UnsafeBufferPointer<UInt8>, using scratch: borrowing PCRE2Scratch) -> PCRE2MatchOutcome {
        firstMatch(in: subject, from: 0, using: scratch)
    }

    /// The first match starting at or after byte `offset` (lookbehinds still see the bytes before it).
    public func firstMatch(in subject: UnsafeBufferPointer<UInt8>, from offset: Int, using scratch: borrowing PCRE2Scratch) -> PCRE2MatchOutcome {
        guard offset <= subject.count else { return .noMatch }
        let result = pcre2_match_8(code, subject.baseAddress, subject.count, offset, 0, scratch.matchData, scratch.context)
        if result >= 0 {
            // SAFETY: the ovector of a successful match holds at least one pair (start, end).
            let vector = pcre2_get_ovector_pointer_8(scratch.matchData)!
            return .match(vector[0]..<max(vector[0], vector[1]))
        }
        switch result {
        case PCRE2_ERROR_NOMATCH:
            return .noMatch
        case PCRE2_ERROR_MATCHLIMIT, PCRE2_ERROR_DEPTHLIMIT, PCRE2_ERROR_HEAPLIMIT, PCRE2_ERROR_JIT_STACKLIMIT:
            return .limitExceeded(Self.message(for: result))
        default:
            return .limitExceeded(Self.message(for: result))
        }
    }

    /// Convenience for tools and tests: match a whole `String`.
    public func firstMatch(in subject: String, using scratch: borrowing PCRE2Scratch) -> PCRE2MatchOutcome {
        var subject = subject
        return subject.withUTF8 { firstMatch(in: $0, using: scratch) }
    }

    static func message(for code: Int32) -> String {
        var buffer = [UInt8](repeating: 0, count: 256)
        let length = pcre2_get_error_message_8(code, &buffer, buffer.count)
        return length > 0 ? String(decoding: buffer[..<Int(length)], as: UTF8.self) : "PCRE2 error \(code)"
    }
}

/// What one worker needs to run patterns: match data, a match context carrying the limits,
/// and a JIT stack. Owned by exactly one worker, freed when it goes away.
public struct PCRE2Scratch: ~Copyable {
    fileprivate let matchData: OpaquePointer
    fileprivate let context: OpaquePointer
    private let jitStack: OpaquePointer?

    public init(limits: PCRE2Limits = PCRE2Limits()) {
        // A vector of one pair: we only need where the whole match is.
        matchData = pcre2_match_data_create_8(1, nil)!
        context = pcre2_match_context_create_8(nil)!
        pcre2_set_match_limit_8(context, limits.matchLimit)
        pcre2_set_depth_limit_8(context, limits.depthLimit)
        jitStack = pcre2_jit_stack_create_8(32 * 1024, 1024 * 1024, nil)
        if let jitStack { pcre2_jit_stack_assign_8(context, nil, UnsafeMutableRawPointer(jitStack)) }
    }

    deinit {
        if let jitStack { pcre2_jit_stack_free_8(jitStack) }
        pcre2_match_context_free_8(context)
        pcre2_match_data_free_8(matchData)
    }
}
