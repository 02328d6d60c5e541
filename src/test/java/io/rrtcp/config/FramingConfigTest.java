package io.rrtcp.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteOrder;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** tcp.servers.NAME.framing and .length: defaults, the worked configs of the README, and errors that name the key. */
class FramingConfigTest {
    private static final Path FILE = Path.of("conf/.rr.yaml");

    private static TcpServerConfig server(String serverYaml) {
        String yaml = "version: '3'\nserver:\n  command: php w.php\ntcp:\n  servers:\n    dev:\n"
                + "      addr: 127.0.0.1:5020\n" + serverYaml.indent(6);
        return ConfigLoader.parse(yaml, FILE).tcp().servers().get("dev");
    }

    private static Framing.Length length(String serverYaml) {
        return (Framing.Length) server(serverYaml).framing();
    }

    private static ConfigException error(String serverYaml) {
        return assertThrows(ConfigException.class, () -> server(serverYaml));
    }

    @Test
    void withoutFramingAServerSplitsAtItsDelimiterAsBefore() {
        TcpServerConfig server = server("delimiter: \"\\n\"");
        assertSame(Framing.DELIMITER, server.framing());
        assertEquals("delimiter \"\\n\"", server.framingText());
        assertSame(Framing.DELIMITER, server("framing: delimiter").framing());
    }

    @Test
    void rawFramingNeedsNoOtherKey() {
        TcpServerConfig server = server("framing: raw");
        assertSame(Framing.RAW, server.framing());
        assertEquals("raw", server.framingText());
    }

    @Test
    void fourByteBigEndianLengthOfTheBodyOnly() {
        assertEquals(new Framing.Length(0, 4, ByteOrder.BIG_ENDIAN, 0), length("""
                framing: length
                length: {offset: 0, size: 4, order: big, adjust: 0}
                """));
    }

    @Test
    void offsetOrderAndAdjustDefaultToZeroBigAndZero() {
        Framing.Length field = length("framing: length\nlength: {size: 2}");
        assertEquals(new Framing.Length(0, 2, ByteOrder.BIG_ENDIAN, 0), field);
        assertEquals("length offset=0 size=2 order=big adjust=0", field.toString());
    }

    @Test
    void twoByteLittleEndianLengthThatCountsItselfHasANegativeAdjust() {
        assertEquals(new Framing.Length(0, 2, ByteOrder.LITTLE_ENDIAN, -2), length("""
                framing: length
                length:
                  size: 2
                  order: little
                  adjust: -2
                """));
    }

    @Test
    void modbusTcpLengthIsTwoBytesAtOffsetFour() {
        Framing.Length field = length("framing: length\nlength: {offset: 4, size: 2, order: big, adjust: 0}");
        assertEquals(new Framing.Length(4, 2, ByteOrder.BIG_ENDIAN, 0), field);
        assertEquals(6, field.minHeader());
    }

    @Test
    void mqttRemainingLengthIsAVarintAfterOneByte() {
        TcpServerConfig server = server("framing: length\nlength: {offset: 1, size: varint}");
        Framing.Length field = (Framing.Length) server.framing();
        assertTrue(field.varint());
        assertEquals(1, field.offset());
        assertEquals("length offset=1 size=varint adjust=0", server.framingText());
    }

    @Test
    void aDelimiterWithLengthOrRawFramingIsAnErrorNamingTheDelimiter() {
        ConfigException e = error("framing: length\ndelimiter: \"\\n\"\nlength: {size: 2}");
        assertEquals("tcp.servers.dev.delimiter", e.key());
        assertEquals("conf/.rr.yaml: tcp.servers.dev.delimiter: a delimiter cannot be used with framing: length "
                + "(remove the delimiter, or set framing: delimiter)", e.getMessage());
        assertEquals("tcp.servers.dev.delimiter", error("framing: raw\ndelimiter: \"\\n\"").key());
    }

    @Test
    void theDelimiterBoundsDoNotApplyWhenThereIsNoDelimiter() {
        // the default "\r\n" would not fit a 1-byte cap, but a length-framed server never looks for it
        Framing.Length field = length("framing: length\nlength: {size: 1}\nmax_message_size: \"1B\"");
        assertEquals(1, field.size());
        assertEquals("tcp.servers.dev.delimiter", error("delimiter: \"\\r\\n\"\nmax_message_size: \"1B\"").key());
    }

    @Test
    void aLengthSectionWithoutLengthFramingIsAnError() {
        ConfigException e = error("length: {size: 2}");
        assertEquals("tcp.servers.dev.length", e.key());
        assertTrue(e.getMessage().endsWith("is only used with framing: length (framing is delimiter)"), e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
            "framing: lines                                  | framing        | must be delimiter (default), length or raw, got \"lines\"",
            "framing: length                                 | length         | framing: length needs a length section with at least size (offset, size, order, adjust)",
            "framing: length\\nlength: 4                      | length         | must be a map with offset, size, order and adjust, got 4",
            "framing: length\\nlength: {offset: 2}            | length.size    | the length field's size is required: 1, 2, 3, 4, 8 or varint",
            "framing: length\\nlength: {size: 5}              | length.size    | must be 1, 2, 3, 4, 8 (bytes) or varint, got 5",
            "framing: length\\nlength: {size: vint}           | length.size    | must be 1, 2, 3, 4, 8 (bytes) or varint, got \"vint\"",
            "framing: length\\nlength: {size: 2, order: net}  | length.order   | must be big or little, got \"net\"",
            "framing: length\\nlength: {size: 2, offset: -1}  | length.offset  | must be an integer from 0 to 65535, got -1",
            "framing: length\\nlength: {size: 2, adjust: x}   | length.adjust  | must be an integer from -2147483647 to 2147483647, got \"x\"",
    })
    void badFramingValuesNameTheirKey(String yaml, String key, String problem) {
        ConfigException e = error(yaml.replace("\\n", "\n"));
        assertEquals("tcp.servers.dev." + key, e.key());
        assertEquals("conf/.rr.yaml: tcp.servers.dev." + key + ": " + problem, e.getMessage());
    }

    @Test
    void anOrderForAVarintIsIgnoredWithAWarning() {
        String yaml = "version: '3'\nserver:\n  command: php w.php\ntcp:\n  servers:\n    dev:\n"
                + "      addr: 127.0.0.1:5020\n      framing: length\n      length: {offset: 1, size: varint, order: little}\n";
        RrConfig config = ConfigLoader.parse(yaml, FILE);
        assertTrue(config.warnings().stream().anyMatch(w -> w.contains("tcp.servers.dev.length.order: a varint has no "
                + "byte order (ignored)")), config.warnings().toString());
    }
}
