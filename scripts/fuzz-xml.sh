#!/usr/bin/env bash
# Fuzzes the XML reader that reads Preservica's Entity API replies with libFuzzer (shipped with
# the Swift toolchain) and AddressSanitizer. Each input that reads is also checked: names without
# colons, text trimmed, at most 256 levels, and the tree written back out reads the same.
# Usage: scripts/fuzz-xml.sh [seconds]   (default 60). Exits non-zero if the fuzzer finds a
# crash, a leak or a hang.
set -euo pipefail
seconds="${1:-60}"
root="$(cd "$(dirname "$0")/.." && pwd)"
work="$root/.build/fuzz-xml"
mkdir -p "$work/corpus"

# The reader's own files; PreservicaError is stood in for in the entry point.
sources=("$root/scripts/fuzz/XMLReaderFuzz.swift" "$root"/Sources/Preservica/XML/*.swift)

echo "building the fuzz target..."
swiftc -sanitize=fuzzer,address -parse-as-library -O -module-name Preservica \
  "${sources[@]}" -o "$work/fuzz-xml-reader" 2> >(grep -v "Cannot export local symbol" >&2 || true)

# Seeds: replies shaped as the Entity API sends them, and one with every construct the reader takes.
entity='http://preservica.com/EntityAPI/v7.7'
xip='http://preservica.com/XIP/v7.7'
decl='<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
cat > "$work/corpus/seed-entity" <<XML
$decl
<EntityResponse xmlns="$entity" xmlns:xip="$xip">
  <xip:InformationObject>
    <xip:Ref>7fdea7e0-1e72-4fb1-aadb-d7f9ee6ed8c2</xip:Ref>
    <xip:Title>Minutes &amp; notes</xip:Title>
    <xip:SecurityTag>open</xip:SecurityTag>
    <xip:Parent>0b6c0b2e-5a4d-4f44-9f5a-2b4f0c7b8d10</xip:Parent>
  </xip:InformationObject>
  <AdditionalInformation>
    <Self>https://h/api/entity/information-objects/7fdea7e0</Self>
    <Metadata>
      <Fragment schema="http://www.openarchives.org/OAI/2.0/oai_dc/">https://h/api/entity/information-objects/7fdea7e0/metadata/1</Fragment>
    </Metadata>
  </AdditionalInformation>
</EntityResponse>
XML
cat > "$work/corpus/seed-generation" <<XML
$decl
<GenerationResponse xmlns="$entity" xmlns:xip="$xip">
  <xip:Generation original="true" active="true">
    <xip:ContentObject>9b0c51d2</xip:ContentObject>
    <xip:Formats><xip:Format valid="true"><xip:PUID>fmt/353</xip:PUID></xip:Format></xip:Formats>
    <xip:Properties/>
  </xip:Generation>
  <Bitstreams><Bitstream filename="scan &amp; notes.tif">https://h/api/entity/content-objects/9b0c/generations/1/bitstreams/1</Bitstream></Bitstreams>
  <AdditionalInformation/>
</GenerationResponse>
XML
cat > "$work/corpus/seed-children" <<XML
$decl
<ChildrenResponse xmlns="$entity" xmlns:xip="$xip">
  <Children>
    <Child title="Board &quot;minutes&quot;" ref="a1" type="IO">https://h/api/entity/information-objects/a1</Child>
    <Child title='Caf&#xe9; 1998' ref="b2" type="SO">https://h/api/entity/structural-objects/b2</Child>
  </Children>
  <Paging><Next>https://h/api/entity/structural-objects/b2/children?start=100&amp;max=100</Next><TotalResults>250</TotalResults></Paging>
</ChildrenResponse>
XML
cat > "$work/corpus/seed-metadata" <<XML
$decl
<MetadataResponse xmlns="$entity" xmlns:xip="$xip">
  <MetadataContainer schemaUri="http://www.openarchives.org/OAI/2.0/oai_dc/">
    <Entity>7fdea7e0</Entity>
    <Content>
      <oai_dc:dc xmlns:oai_dc="http://www.openarchives.org/OAI/2.0/oai_dc/" xmlns:dc="http://purl.org/dc/elements/1.1/">
        <dc:title xml:lang="en">Minutes &lt;draft&gt;</dc:title>
      </oai_dc:dc>
    </Content>
  </MetadataContainer>
</MetadataResponse>
XML
printf '\xef\xbb\xbf<?xml version="1.0"?>\r\n<!-- c --><?pi x?><a xmlns:p="urn:p" p:x="1&#10;2\r\n3" y=\x27&#x1F600;\x27>t\xc3\xa9xt<![CDATA[<b>]]]]><b xmlns=""><c/></b>&#65;&apos;\r<p:d/></a><!-- after -->\n' > "$work/corpus/seed-constructs"

echo "fuzzing for ${seconds}s..."
cd "$work"
SWIFT_BACKTRACE=enable=no ./fuzz-xml-reader corpus \
  -dict="$root/scripts/fuzz/xml.dict" -max_total_time="$seconds" -max_len=4096 -timeout=10 -print_final_stats=1 2>&1 \
  | grep -E "^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb|==[0-9]+==|SUMMARY|.*deadly signal|.*crash-|.*(leak|timeout)-)" || true
if ls crash-* leak-* timeout-* oom-* >/dev/null 2>&1; then
  echo "fuzz-xml: FOUND PROBLEMS: $(ls crash-* leak-* timeout-* oom-* 2>/dev/null | tr '\n' ' ')" >&2
  exit 1
fi
echo "fuzz-xml: clean after ${seconds}s"
