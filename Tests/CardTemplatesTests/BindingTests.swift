import Testing
import CardTemplates
import JSON

@Suite("Bindings in strings")
struct BindingTests {
    @Test("a string that is exactly one binding keeps the value's JSON type")
    func exactBindingKeepsType() throws {
        let template = #"{"n":"${n}","half":"${half}","yes":"${yes}","nothing":"${nothing}","obj":"${obj}","list":"${list}","name":"${name}"}"#
        #expect(try Rendering.render(template, SampleData.text)
                == #"{"n":1024,"half":0.5,"yes":true,"nothing":null,"obj":{"key":1,"my key":"spaced"},"list":[1,2,3],"name":"Minutes 1921"}"#)
    }

    @Test("a binding with any text around it makes a string")
    func surroundingTextMakesString() throws {
        #expect(try Rendering.render(#"["${n} ", " ${n}", "${n}${n}"]"#, SampleData.text) == #"["1024 "," 1024","10241024"]"#)
    }

    @Test("interpolation writes each JSON type as text")
    func interpolationOfEachType() throws {
        let template = #"["n=${n}", "h=${half}", "b=${yes}/${no}", "null=[${nothing}]", "o=${obj}", "l=${list}", "s=${name}"]"#
        #expect(try Rendering.render(template, SampleData.text)
                == #"["n=1024","h=0.5","b=true/false","null=[]","o={\"key\":1,\"my key\":\"spaced\"}","l=[1,2,3]","s=Minutes 1921"]"#)
    }

    @Test("undefined paths give null for an exact binding and nothing inside text")
    func undefinedPaths() throws {
        #expect(try Rendering.render(#"{"a":"${missing}","b":"${asset.nope.deeper}","c":"[${missing.x}]","d":"${name.length}"}"#, SampleData.text)
                == #"{"a":null,"b":null,"c":"[]","d":null}"#)
    }

    @Test("keys are never templated and strings without bindings are kept as they are")
    func keysAndPlainStrings() throws {
        #expect(try Rendering.render(#"{"${n}":"${n}","price":"$5 {not a binding}","lone":"$","brace":"}"}"#, SampleData.text)
                == #"{"${n}":1024,"price":"$5 {not a binding}","lone":"$","brace":"}"}"#)
    }

    @Test("numbers, booleans and null in the template pass through")
    func nonStringValues() throws {
        #expect(try Rendering.render(#"{"a":1.5,"b":false,"c":null,"d":[],"e":{}}"#) == #"{"a":1.5,"b":false,"c":null,"d":[],"e":{}}"#)
    }

    @Test("a literal ${ is written as a binding of '$' followed by a brace")
    func literalDollarBrace() throws {
        #expect(try Rendering.render(#"["${'$'}{name}"]"#, SampleData.text) == #"["${name}"]"#)
    }

    @Test("a closing brace inside a quoted string does not end the binding")
    func braceInsideQuotes() throws {
        #expect(try Rendering.render(#"["${concat('}', name)}", "${'{x}'}"]"#, SampleData.text) == #"["}Minutes 1921","{x}"]"#)
    }

    @Test("values with quotes, newlines and markup stay data, and the output is valid JSON")
    func hostileValuesStayData() throws {
        let hostile = "He said \"hi\"\n<script>alert('x')</script>\"}],{\\u0000 \u{1}"
        var data = JSONObject()
        data.append("title", .string(hostile))
        let template = try CardTemplate(name: "t", text: #"{"body":[{"text":"${title}"},{"text":"Title: ${title}"},{"text":"${toUpper(title)}"}]}"#)
        let output = JSONWriter.string(template.render(.object(data)))
        let reparsed = try JSONParser.parse(output)
        let body = try #require(reparsed.objectValue?["body"]?.arrayValue)
        #expect(body[0].objectValue?["text"] == .string(hostile))
        #expect(body[1].objectValue?["text"] == .string("Title: " + hostile))
        #expect(body[2].objectValue?["text"] == .string(hostile.uppercased()))
    }

    @Test("a template that is a single string renders too")
    func rootString() throws {
        #expect(try Rendering.render(#""${asset.title} (${asset.size})""#, SampleData.text) == #""Minutes (1024)""#)
        #expect(try Rendering.render(#""${asset.size}""#, SampleData.text) == "1024")
    }
}
