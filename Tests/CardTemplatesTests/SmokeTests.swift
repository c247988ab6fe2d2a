import Testing
import CardTemplates
import JSON

@Suite("smoke")
struct SmokeTests {
    @Test func basic() throws {
        #expect(try Rendering.render(#"{"a":"${x}","b":"n=${x}!","c":[{"$data":"${items}","t":"${$index}:${name}"}]}"#,
                                     #"{"x":1024,"items":[{"name":"p"},{"name":"q"}]}"#)
                == #"{"a":1024,"b":"n=1024!","c":[{"t":"0:p"},{"t":"1:q"}]}"#)
    }
}
