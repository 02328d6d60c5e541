package io.rrtcp.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@code ${VAR}} substitution: the spec §6.2 table, with each upstream quirk kept or fixed on purpose. */
class EnvExpanderTest {
    private final EnvExpander expander = new EnvExpander(Map.of("SET", "val", "EMPTY", "", "PORT_SET", "7000"));

    private String expand(String text) {
        return expander.expand(text, w -> { });
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', quoteCharacter = '\'', value = {
            "tcp://127.0.0.1:${PORT:-6001}    | tcp://127.0.0.1:6001",
            "tcp://127.0.0.1:${PORT_SET:-6001} | tcp://127.0.0.1:7000",
            "${UNSET:-def}                   | def",
            "${SET:-def}                     | val",
            "${EMPTY:-def}                   | def",
            "a-${SET}-b                      | a-val-b",
            "$SET.x                          | val.x",
            "${SET}x                         | valx",
            "$UNSET                          | ''",
            "price $                         | price $",
            "a$.b                            | a$.b",
            "x${}y                           | xy",
            "x${unclosed                     | xunclosed",
            "$$                              | ''",
            "no dollars                      | no dollars",
            "'\\$SET stays'                 | '\\$SET stays'",
    })
    void expandsLikeUpstream(String input, String expected) {
        assertEquals(expected, expand(input.strip()));
    }

    @ParameterizedTest(name = "fixed quirk: {0} -> {1}")
    @CsvSource(delimiter = '|', value = {
            // upstream: "" (a ':-' anywhere makes every plain reference empty the whole value)
            "${SET}:${PORT:-6001} | val:6001",
            "x:-y $SET            | x:-y val",
            // upstream: ""
            "${UNSET:-a:-b}       | a:-b",
    })
    void upstreamQuirksThatEmptyWholeValuesAreFixed(String input, String expected) {
        assertEquals(expected, expand(input.strip()));
    }

    @Test
    void unsupportedSyntaxIsEmptyAsUpstreamButWarned() {
        List<String> warnings = new ArrayList<>();
        assertEquals("", expander.expand("${SET:=def}", warnings::add));
        assertEquals(1, warnings.size());
        assertTrue(warnings.get(0).contains("${SET:=def}"), warnings.toString());
    }
}
