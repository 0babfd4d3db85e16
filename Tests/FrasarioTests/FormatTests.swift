import Foundation
import Testing
@testable import Frasario

@Suite("Ingest: captions and ASR engines' JSON exports, speaker mapping")
struct FormatTests {
    static func calls(
        _ contents: String, name: String, agentLabels: Set<String> = [],
        format: InputFormat? = nil
    ) throws -> (calls: [Call], rejects: [Reject], parsed: ParsedInput) {
        let directory = TestSupport.temporaryDirectory()
        let path = TestSupport.write(contents, to: name, in: directory)
        let discovery = try InputDiscovery.discover([path], forcedFormat: format)
        let reader = InputReader(files: discovery.files)
        var parsed = ParsedInput()
        while let piece = try reader.next() {
            let part = RecordParser.parse(piece, agentLabels: agentLabels)
            parsed.calls += part.calls
            parsed.rejects += part.rejects
            parsed.callsMappedByGreeting += part.callsMappedByGreeting
            parsed.callsWithUnmappedSpeakers += part.callsWithUnmappedSpeakers
        }
        return (parsed.calls, parsed.rejects, parsed)
    }

    static let vtt = """
        WEBVTT

        NOTE exportado por el sistema de grabación

        1
        00:00:00.500 --> 00:00:03.000
        <v Laura>Telvira, buenas tardes, le atiende Laura, ¿en qué le puedo ayudar?</v>

        2
        00:00:03.400 --> 00:00:06.100
        <v Cliente>Hola, eh, me llegó un cargo
        que no reconozco en la factura.

        3
        00:00:06.500 --> 00:00:08.000
        <v Cliente><i>[ruido]</i> ¿me pueden hacer la devolución?

        4
        00:00:08.400 --> 00:00:10.000
        <v Laura>Claro, déjeme revisar.
        """

    @Test("WebVTT: voice tags, notes, multi-line cues, inline tags; the greeter is the agent")
    func webVTT() throws {
        let (calls, rejects, parsed) = try Self.calls(Self.vtt, name: "llamada.vtt")
        #expect(rejects.isEmpty)
        let call = try #require(calls.first)
        #expect(call.id == "llamada")
        #expect(call.turns.map(\.speaker) == [.agent, .customer, .agent])
        #expect(call.turns[1].text == "Hola, eh, me llegó un cargo que no reconozco en la factura. [ruido] ¿me pueden hacer la devolución?")
        #expect(call.turns[1].start == 3.4)
        #expect(call.turns[1].end == 8.0)
        #expect(parsed.callsMappedByGreeting == 1)
        #expect(
            Normalizer.normalize(call.turns[1].text).displayText
                == "hola me llegó un cargo que no reconozco en la factura me pueden hacer la devolución")
    }

    @Test("SubRip: numbered cues, comma milliseconds, AGENTE:/CLIENTE: prefixes")
    func subRip() throws {
        let srt = """
            1
            00:00:00,500 --> 00:00:03,000
            AGENTE: Telvira, buenas tardes, le atiende Laura.

            2
            00:00:03,400 --> 00:00:06,100
            CLIENTE: Me llegó un cargo
            que no reconozco.

            """
        let (calls, rejects, _) = try Self.calls(srt, name: "llamada.srt")
        #expect(rejects.isEmpty)
        #expect(calls.first?.turns.map(\.speaker) == [.agent, .customer])
        #expect(calls.first?.turns.last?.text == "Me llegó un cargo que no reconozco.")
        #expect(calls.first?.turns.first?.start == 0.5)
    }

    static let whisperX = """
        {"language": "es", "segments": [
          {"start": 0.0, "end": 3.1, "text": " Telvira, buenas tardes, le atiende Laura.", "speaker": "SPEAKER_01"},
          {"start": 3.1, "end": 4.0, "text": " ¿En qué le puedo ayudar?", "speaker": "SPEAKER_01"},
          {"start": 4.5, "end": 7.0, "text": " Me llegó un cargo que no reconozco.", "speaker": "SPEAKER_00"}
        ]}
        """

    @Test("WhisperX: segments joined per speaker; the greeting finds the agent; --agent-speaker overrides")
    func whisperX() throws {
        let (calls, _, parsed) = try Self.calls(Self.whisperX, name: "whisperx.json")
        let call = try #require(calls.first)
        #expect(call.turns.count == 2)
        #expect(call.turns.map(\.speaker) == [.agent, .customer])
        #expect(call.turns[0].text == "Telvira, buenas tardes, le atiende Laura. ¿En qué le puedo ayudar?")
        #expect(parsed.callsMappedByGreeting == 1)
        let (forced, _, forcedParsed) = try Self.calls(Self.whisperX, name: "whisperx.json", agentLabels: ["speaker_00"])
        #expect(forced.first?.turns.map(\.speaker) == [.customer, .agent])
        #expect(forcedParsed.callsMappedByGreeting == 0)
    }

    @Test("Amazon Transcribe: audio segments, or items grouped by speaker with punctuation attached")
    func amazonTranscribe() throws {
        let segments = """
            {"jobName": "telvira-0042", "results": {"transcripts": [{"transcript": "x"}], "audio_segments": [
              {"id": 0, "transcript": "Gracias por llamar a Telvira.", "start_time": "0.04", "end_time": "2.1", "speaker_label": "spk_0", "items": [0]},
              {"id": 1, "transcript": "Hola, tengo un cargo raro.", "start_time": "2.5", "end_time": "4.0", "speaker_label": "spk_1", "items": [1]}]}}
            """
        let (calls, _, _) = try Self.calls(segments, name: "transcribe.json")
        #expect(calls.first?.id == "telvira-0042")
        #expect(calls.first?.turns.map(\.speaker) == [.agent, .customer])
        #expect(calls.first?.turns.first?.start == 0.04)
        let items = """
            {"jobName": "j", "results": {"items": [
              {"start_time": "0.0", "end_time": "0.4", "alternatives": [{"content": "Gracias"}], "type": "pronunciation", "speaker_label": "spk_1"},
              {"start_time": "0.4", "end_time": "0.9", "alternatives": [{"content": "por"}], "type": "pronunciation", "speaker_label": "spk_1"},
              {"start_time": "0.9", "end_time": "1.4", "alternatives": [{"content": "llamar"}], "type": "pronunciation", "speaker_label": "spk_1"},
              {"alternatives": [{"content": "."}], "type": "punctuation", "speaker_label": "spk_1"},
              {"start_time": "2.0", "end_time": "2.4", "alternatives": [{"content": "Hola"}], "type": "pronunciation", "speaker_label": "spk_0"}]}}
            """
        let (itemCalls, _, _) = try Self.calls(items, name: "items.json")
        #expect(itemCalls.first?.turns.map(\.text) == ["Gracias por llamar.", "Hola"])
        #expect(itemCalls.first?.turns.map(\.speaker) == [.agent, .customer])
    }

    @Test("Contact Lens: participant roles, offsets in milliseconds, contact id and channel")
    func contactLens() throws {
        let json = """
            {"Version": "1.1.0", "Channel": "VOICE", "Participants": [{"ParticipantId": "A1", "ParticipantRole": "AGENT"},
              {"ParticipantId": "C1", "ParticipantRole": "CUSTOMER"}],
             "Transcript": [{"BeginOffsetMillis": 120, "EndOffsetMillis": 3400, "Content": "Telvira, buenas tardes.", "ParticipantId": "A1"},
                            {"BeginOffsetMillis": 3600, "EndOffsetMillis": 6000, "Content": "Tengo un cargo raro.", "ParticipantId": "C1"}],
             "CustomerMetadata": {"ContactId": "3f2a-0042"}}
            """
        let (calls, _, parsed) = try Self.calls(json, name: "lens.json")
        let call = try #require(calls.first)
        #expect(call.id == "3f2a-0042")
        #expect(call.channel == "voice")
        #expect(call.turns.map(\.speaker) == [.agent, .customer])
        #expect(call.turns[0].start == 0.12 && call.turns[0].end == 3.4)
        #expect(parsed.callsMappedByGreeting == 0)
    }

    @Test("CCAI Insights: conversation import entries with roles and microsecond times")
    func insights() throws {
        let json = """
            {"entries": [{"start_timestamp_usec": 1000000, "text": "Telvira, buenas tardes.", "role": "AGENT", "user_id": 1},
                         {"start_timestamp_usec": 4300000, "text": "Tengo un cargo raro.", "role": "CUSTOMER", "user_id": 2}]}
            """
        let (calls, _, _) = try Self.calls(json, name: "ccai.json")
        #expect(calls.first?.turns.map(\.speaker) == [.agent, .customer])
        #expect(calls.first?.turns.last?.start == 3.3)
    }

    @Test("a JSON document of unknown shape is rejected with a reason that lists the formats")
    func unknownDocument() throws {
        let (calls, rejects, _) = try Self.calls(#"{"hello": "world"}"#, name: "raro.json")
        #expect(calls.isEmpty)
        #expect(rejects.first?.reason.contains("Whisper") == true)
    }

    @Test("--format names the engine: its export is read whatever the file is called, another engine's is rejected saying so")
    func forcedEngineFormat() throws {
        // A WhisperX export saved with another extension.
        let (whisper, _, _) = try Self.calls(Self.whisperX, name: "llamada-0042.txt", format: .whisper)
        #expect(whisper.first?.turns.map(\.speaker) == [.agent, .customer])
        let lens = """
            {"Participants": [{"ParticipantId": "A1", "ParticipantRole": "AGENT"}, {"ParticipantId": "C1", "ParticipantRole": "CUSTOMER"}],
             "Transcript": [{"Content": "Telvira, buenas tardes.", "ParticipantId": "A1"}, {"Content": "Tengo un cargo raro.", "ParticipantId": "C1"}]}
            """
        let (contact, _, _) = try Self.calls(lens, name: "contacto.export", format: .contactLens)
        #expect(contact.first?.turns.map(\.text) == ["Telvira, buenas tardes.", "Tengo un cargo raro."])
        let ccai =
            #"{"transcript": {"transcriptSegments": [{"text": "Hola, tengo un cargo raro.", "segmentParticipant": {"role": "END_USER"}}]}, "name": "projects/p/conversations/c-77"}"#
        let (insights, _, _) = try Self.calls(ccai, name: "c-77.json", format: .ccai)
        #expect(insights.first?.id == "c-77")
        // The wrong engine: rejected with the reason, not read as another shape.
        let (none, rejects, _) = try Self.calls(lens, name: "contacto.json", format: .whisper)
        #expect(none.isEmpty)
        #expect(rejects.first?.reason == "not a Whisper document: no segments list (--format whisper)")
        let (_, transcribeRejects, _) = try Self.calls("no soy json", name: "x.json", format: .transcribe)
        #expect(transcribeRejects.first?.reason == "not a JSON object, so not a transcribe document (--format transcribe)")
    }

    @Test("labels without roles and without a greeting leave speakers unknown, and are counted")
    func unmappedSpeakers() throws {
        let json = #"{"segments": [{"start": 0, "end": 1, "text": "hola", "speaker": "SPEAKER_00"}, {"start": 1, "end": 2, "text": "qué tal", "speaker": "SPEAKER_01"}]}"#
        let (calls, _, parsed) = try Self.calls(json, name: "x.json")
        #expect(calls.first?.turns.map(\.speaker) == [.unknown, .unknown])
        #expect(parsed.callsWithUnmappedSpeakers == 1)
    }

    @Test("the same call exported as WebVTT, SubRip and JSONL gives the same normalized turns")
    func sameCallAcrossFormats() throws {
        let srt = """
            1
            00:00:00,500 --> 00:00:03,000
            Laura: Telvira, buenas tardes, le atiende Laura, ¿en qué le puedo ayudar?

            2
            00:00:03,400 --> 00:00:06,100
            Cliente: Hola, eh, me llegó un cargo que no reconozco en la factura.

            3
            00:00:06,500 --> 00:00:08,000
            Cliente: (inaudible) ¿me pueden hacer la devolución?

            4
            00:00:08,400 --> 00:00:10,000
            Laura: Claro, déjeme revisar.
            """
        let jsonl =
            #"{"call_id": "llamada", "turns": [{"speaker": "agente", "text": "Telvira, buenas tardes, le atiende Laura, ¿en qué le puedo ayudar?"}, {"speaker": "cliente", "text": "Hola, eh, me llegó un cargo que no reconozco en la factura. <unk> ¿me pueden hacer la devolución?"}, {"speaker": "agente", "text": "Claro, déjeme revisar."}]}"#
        func normalized(_ call: Call?) -> [String] {
            (call?.turns ?? []).map { "\($0.speaker.key): " + Normalizer.normalize($0.text).foldedText }
        }
        let fromVTT = normalized(try Self.calls(Self.vtt, name: "llamada.vtt").calls.first)
        let fromSRT = normalized(try Self.calls(srt, name: "llamada.srt").calls.first)
        let fromJSONL = normalized(try Self.calls(jsonl, name: "llamada.jsonl").calls.first)
        #expect(fromVTT.count == 3)
        #expect(fromVTT == fromSRT)
        #expect(fromVTT == fromJSONL)
    }

    @Test(
        "ASR markup is dropped, parentheses that are speech stay",
        arguments: [
            ("[ruido] hola [risas] buenas", "hola buenas"),
            ("<unk> quiero <noise> cancelar", "quiero cancelar"),
            ("(inaudible) me cobraron (risas) de más", "me cobraron de más"),
            ("*** no se oye ***", "no se oye"),
            ("mi lada es (55) y ya", "mi lada es 55 y ya"),
            ("el plan (el caro) no", "el plan el caro no"),
        ])
    func asrMarkupDropped(text: String, expected: String) {
        #expect(Normalizer.normalize(text).displayText == expected)
    }

    @Test("Samples/formatos: one call per export format, every turn read and given the right speaker")
    func sampleExports() throws {
        let (calls, accounting) = try TestSupport.ingest([TestSupport.samples + "/formatos"])
        #expect(accounting.rejects.isEmpty)
        // (call id, turns, agent turns), tallied by hand from the sample files.
        let expected: [String: (Int, Int)] = [
            "llamada-webvtt": (13, 7), "llamada-srt": (12, 6), "llamada-whisperx": (13, 7),
            "telvira-llamada-0042": (8, 4), "3f2a1c9e-0042-4b7e-9d21-5a0b8c7e1f42": (12, 6), "llamada-ccai": (12, 6),
            "chat-0001": (12, 6),
        ]
        #expect(Set(calls.map(\.id)) == Set(expected.keys))
        for call in calls {
            let (turns, agents) = try #require(expected[call.id])
            #expect(call.turns.count == turns, "\(call.id)")
            #expect(call.turns.filter { $0.speaker == .agent }.count == agents, "\(call.id)")
            #expect(!call.turns.contains { $0.speaker == .unknown }, "\(call.id)")
            #expect(call.turns.first { $0.speaker == .agent }.map { SpanishText.folded($0.text).contains("le atiende laura") } == true, "\(call.id)")
        }
    }
}
