package io.rrtcp.kv;

import io.rrtcp.goridge.Vectors;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** test-workers/lib/Kv.php writes and reads the bytes of the spec's recorded spiral/roadrunner-kv exchange. */
class PhpKvEncodingTest {
    private static final Path LIB = Path.of("test-workers/lib/Kv.php").toAbsolutePath();

    private static String php(String code) throws Exception {
        Process p = new ProcessBuilder("php", "-r", "require '" + LIB + "'; " + code).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }

    private static String body(String vector) {
        byte[] frame = Vectors.load(vector);
        int methodLength = frame[16] & 0xFF; // option 2 of a 5-word header: the method name's length
        return HexFormat.of().formatHex(Arrays.copyOfRange(frame, 20 + methodLength, frame.length));
    }

    @Test
    void kvHasRequestIsTheRecordedOne() throws Exception {
        assertEquals(body("p01_php_req_kv_has_proto_seq1"),
                php("echo bin2hex(RrTcp\\Kv\\Protobuf::encodeRequest('local', [new RrTcp\\Kv\\Item('a')]));"));
    }

    @Test
    void kvHasReplyDecodesToItsKey() throws Exception {
        assertEquals("a|", php("foreach (RrTcp\\Kv\\Protobuf::decodeResponse(hex2bin('" + body("p02_reply_kv_has_proto_seq1")
                + "')) as $i) { echo $i->key, '|', $i->value; }"));
    }

    @Test
    void setItemsCarryValueAndAnRfc3339TimeoutAndEmptyFieldsAreLeftOut() throws Exception {
        assertEquals("0a056c6f63616c" + "1207" + "0a0161" + "12026869",
                php("echo bin2hex(RrTcp\\Kv\\Protobuf::encodeRequest('local', [new RrTcp\\Kv\\Item('a', 'hi')]));"));
        String timeout = php("echo RrTcp\\Kv\\KvClient::timeout(60);");
        assertTrue(timeout.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\+00:00"), timeout);
        Rfc3339.parse(timeout);
        String big = php("echo bin2hex(RrTcp\\Kv\\Protobuf::encodeRequest('s', [new RrTcp\\Kv\\Item('k', str_repeat('x', 300), '"
                + timeout + "')]));");
        // protobuf-java reads what the PHP encoder wrote (lengths above 127 take two varint bytes)
        io.rrtcp.kv.proto.Request parsed = io.rrtcp.kv.proto.Request.parseFrom(HexFormat.of().parseHex(big));
        assertEquals("s", parsed.getStorage());
        assertEquals("k", parsed.getItems(0).getKey());
        assertEquals("x".repeat(300), parsed.getItems(0).getValue().toStringUtf8());
        assertEquals(timeout, parsed.getItems(0).getTimeout());
    }
}
