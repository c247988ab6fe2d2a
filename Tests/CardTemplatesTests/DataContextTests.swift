import Testing
import CardTemplates
import JSON

@Suite("$data, $when, $root and $index")
struct DataContextTests {
    @Test("$data with an object rebinds the context for that object only")
    func objectContext() throws {
        let template = #"{"a":{"$data":"${asset.parent}","t":"${title}"},"b":"${asset.title}"}"#
        #expect(try Rendering.render(template, SampleData.text) == #"{"a":{"t":"Council"},"b":"Minutes"}"#)
    }

    @Test("$data with an array repeats the object, spliced into the parent array in order")
    func repeatSplices() throws {
        let template = #"{"body":[{"t":"head"},{"$data":"${items}","t":"${name}:${size}"},{"t":"tail"}]}"#
        #expect(try Rendering.render(template, SampleData.text)
                == #"{"body":[{"t":"head"},{"t":"x:10"},{"t":"y:300"},{"t":"tail"}]}"#)
    }

    @Test("$data with an empty array produces no object")
    func emptyRepeat() throws {
        #expect(try Rendering.render(#"[{"t":"a"},{"$data":"${none}","t":"x"}]"#, #"{"none":[]}"#) == #"[{"t":"a"}]"#)
    }

    @Test("$data may be a literal array or object")
    func literalData() throws {
        #expect(try Rendering.render(#"[{"$data":[{"v":1},{"v":2}],"t":"${v * 10}"}]"#) == #"[{"t":10},{"t":20}]"#)
        #expect(try Rendering.render(#"{"x":{"$data":{"v":"lit"},"t":"${v}"}}"#) == #"{"x":{"t":"lit"}}"#)
    }

    @Test("a repeated object that is not inside an array becomes an array")
    func repeatOutsideArray() throws {
        #expect(try Rendering.render(#"{"facts":{"$data":"${tags}","title":"${$data}"}}"#, SampleData.text)
                == #"{"facts":[{"title":"a"},{"title":"b"},{"title":"c"}]}"#)
    }

    @Test("nested repeats: $index is the innermost, $root is reachable at any depth")
    func nestedRepeats() throws {
        let template = #"""
        {"rows":[{"$data":"${groups}","pos":"${$index}","name":"${name}",
                  "cells":[{"$data":"${items}","label":"${$index}:${value}:${$root.title}"}]}]}
        """#
        let data = #"{"title":"T","groups":[{"name":"g0","items":[{"value":"a"},{"value":"b"}]},{"name":"g1","items":[{"value":"c"}]}]}"#
        #expect(try Rendering.render(template, data)
                == #"{"rows":[{"pos":0,"name":"g0","cells":[{"label":"0:a:T"},{"label":"1:b:T"}]},{"pos":1,"name":"g1","cells":[{"label":"0:c:T"}]}]}"#)
    }

    @Test("an object $data inside a repeat keeps the enclosing $index")
    func indexThroughObjectData() throws {
        let template = #"[{"$data":"${items}","inner":{"$data":{"z":1},"i":"${$index}"}}]"#
        #expect(try Rendering.render(template, SampleData.text) == #"[{"inner":{"i":0}},{"inner":{"i":1}}]"#)
    }

    @Test("$index outside any repeat is null")
    func indexOutsideRepeat() throws {
        #expect(try Rendering.render(#"{"i":"${$index}","t":"[${$index}]"}"#) == #"{"i":null,"t":"[]"}"#)
    }

    @Test("$when on repeated items filters them, evaluated in each item's context")
    func whenFiltersItems() throws {
        let template = #"[{"$data":"${items}","$when":"${size > 100}","t":"${name}"}]"#
        #expect(try Rendering.render(template, SampleData.text) == #"[{"t":"y"}]"#)
        let byIndex = #"[{"$data":"${tags}","$when":"${$index < 2}","t":"${$data}"}]"#
        #expect(try Rendering.render(byIndex, SampleData.text) == #"[{"t":"a"},{"t":"b"}]"#)
    }

    @Test("$when false drops an array item or an object member; null and undefined count as false")
    func whenDrops() throws {
        let template = #"{"keep":{"$when":"${yes}","v":1},"gone":{"$when":"${no}","v":2},"undef":{"$when":"${missing}","v":3},"list":[{"$when":false},2]}"#
        #expect(try Rendering.render(template, SampleData.text) == #"{"keep":{"v":1},"list":[2]}"#)
    }

    @Test("$when sees the object's own $data")
    func whenAfterData() throws {
        let template = #"[{"$data":"${asset.parent}","$when":"${title == 'Council'}","t":"${title}"},{"$data":"${asset}","$when":"${title == 'Council'}","t":"no"}]"#
        #expect(try Rendering.render(template, SampleData.text) == #"[{"t":"Council"}]"#)
    }

    @Test("$data and $when keys never appear in the output")
    func keysRemoved() throws {
        let output = try Rendering.render(#"{"a":{"$data":{"x":1},"$when":true,"v":"${x}"}}"#)
        #expect(output == #"{"a":{"v":1}}"#)
    }

    @Test("$data that is null or undefined drops the object, like an empty list")
    func undefinedData() throws {
        #expect(try Rendering.render(#"[{"$data":"${missing}","t":"x"},{"$data":"${nothing}","t":"y"},{"t":"z"}]"#, SampleData.text)
                == #"[{"t":"z"}]"#)
        #expect(try Rendering.render(#"{"a":{"$data":"${asset.nope}","t":"x"},"b":1}"#, SampleData.text) == #"{"b":1}"#)
    }

    @Test("$data that is a string or number becomes the context, reachable as $data")
    func scalarData() throws {
        #expect(try Rendering.render(#"{"a":{"$data":"${name}","t":"${$data}!","r":"${$root.n}"}}"#, SampleData.text)
                == #"{"a":{"t":"Minutes 1921!","r":1024}}"#)
    }

    @Test("$data on the root supplies inline data, which is also $root when rendering without data")
    func rootInlineData() throws {
        let template = #"{"$data":{"person":{"first":"Ada"}},"type":"AdaptiveCard","text":"Hi ${person.first} ${$root.person.first}"}"#
        #expect(try Rendering.render(template, "null") == #"{"type":"AdaptiveCard","text":"Hi Ada Ada"}"#)
        // With data given, $root is that data and the inline data is still $data.
        #expect(try Rendering.render(template, #"{"person":{"first":"Bob"}}"#) == #"{"type":"AdaptiveCard","text":"Hi Ada Bob"}"#)
    }

    @Test("a root object dropped by $when renders as null")
    func rootDropped() throws {
        #expect(try Rendering.render(#"{"$when":"${no}","a":1}"#, SampleData.text) == "null")
    }

    @Test("$data can be a repeated binding inside a repeat ($root and $data together)")
    func dataFromRoot() throws {
        let template = #"[{"$data":"${$root.tags}","t":"${$data}-${$root.asset.title}"}]"#
        #expect(try Rendering.render(template, SampleData.text) == #"[{"t":"a-Minutes"},{"t":"b-Minutes"},{"t":"c-Minutes"}]"#)
    }

    @Test("rendering does not change the template: two renders with different data are independent")
    func independentRenders() throws {
        let template = try CardTemplate(name: "t", text: #"[{"$data":"${xs}","v":"${$data}"}]"#)
        #expect(JSONWriter.string(template.render(try Rendering.json(#"{"xs":[1,2]}"#))) == #"[{"v":1},{"v":2}]"#)
        #expect(JSONWriter.string(template.render(try Rendering.json(#"{"xs":["z"]}"#))) == #"[{"v":"z"}]"#)
    }
}
