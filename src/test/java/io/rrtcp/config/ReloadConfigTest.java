package io.rrtcp.config;

import org.junit.jupiter.api.Test;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The reload section: RoadRunner's reload plugin keys and defaults, the tcp service only. */
class ReloadConfigTest {
    private static final Path FILE = Path.of("conf/.rr.yaml");

    private static RrConfig parse(String reload) {
        String yaml = "version: '3'\nserver:\n  command: php w.php\ntcp:\n  servers:\n    main:\n      addr: 127.0.0.1:7\n"
                + reload;
        return ConfigLoader.parse(yaml, FILE);
    }

    @Test
    void noSectionMeansNoReload() {
        assertEquals(Optional.empty(), parse("").reload());
    }

    @Test
    void theIssuesExampleReadsAsWrittenWithTheGlobalPatternsAddedToTheServices() {
        RrConfig config = parse("""
                reload:
                  interval: 2s
                  patterns: [".php"]
                  services:
                    tcp:
                      dirs: ["."]
                      recursive: true
                      ignore: ["vendor"]
                      patterns: [".php", ".inc"]
                """);
        assertEquals(new ReloadConfig(Duration.ofSeconds(2), List.of("."), true, List.of("vendor"),
                List.of(".php", ".inc")), config.reload().orElseThrow());
        assertEquals(List.of(), config.warnings());
    }

    @Test
    void defaultsAreOneSecondDotPhpAndNotRecursive() {
        RrConfig config = parse("reload:\n  services:\n    tcp:\n      dirs: [src]\n      patterns: [.inc]\n");
        assertEquals(new ReloadConfig(Duration.ofSeconds(1), List.of("src"), false, List.of(), List.of(".inc", ".php")),
                config.reload().orElseThrow());
    }

    @Test
    void anEmptyGlobalPatternListLeavesOnlyTheServicesOwn() {
        RrConfig config = parse("reload:\n  patterns: []\n  services:\n    tcp:\n      dirs: src\n      patterns: .inc\n");
        assertEquals(List.of(".inc"), config.reload().orElseThrow().patterns());
        assertEquals(List.of("src"), config.reload().orElseThrow().dirs(), "a single string is a one-item list");
    }

    @Test
    void otherServicesAreWarnedAboutAndIgnored() {
        RrConfig config = parse("reload:\n  services:\n    http:\n      dirs: [.]\n    tcp:\n      dirs: [.]\n");
        assertTrue(config.reload().isPresent());
        assertEquals(List.of("conf/.rr.yaml: reload.services.http: rr-tcp reloads only the tcp pool; this service is "
                + "ignored"), config.warnings());
    }

    @Test
    void withoutATcpServiceNothingIsReloadedAndTheWarningSaysSo() {
        RrConfig config = parse("reload:\n  services:\n    http:\n      dirs: [.]\n");
        assertEquals(Optional.empty(), config.reload());
        assertTrue(config.warnings().stream().anyMatch(w -> w.contains("reload: no services.tcp entry")),
                config.warnings().toString());
    }

    @Test
    void aServiceWithoutDirsWatchesNothingAndIsWarnedAbout() {
        RrConfig config = parse("reload:\n  services:\n    tcp:\n      recursive: true\n");
        assertEquals(List.of(), config.reload().orElseThrow().dirs());
        assertTrue(config.warnings().stream().anyMatch(w -> w.contains("reload.services.tcp: no dirs")),
                config.warnings().toString());
    }

    @Test
    void unknownKeysAreWarnedAbout() {
        RrConfig config = parse("reload:\n  intervall: 2s\n  services:\n    tcp:\n      dirs: [.]\n      recursiv: true\n");
        assertEquals(List.of("conf/.rr.yaml: reload.intervall: unknown key (ignored; check the spelling)",
                "conf/.rr.yaml: reload.services.tcp.recursiv: unknown key (ignored; check the spelling)"),
                config.warnings());
    }

    @Test
    void anIntervalUnderOneSecondIsRefusedNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse("reload:\n  interval: 500ms\n  services:\n    tcp:\n      dirs: [.]\n"));
        assertTrue(e.getMessage().contains("conf/.rr.yaml"), e.getMessage());
        assertTrue(e.getMessage().contains("reload.interval: must be at least 1s"), e.getMessage());
        assertTrue(e.getMessage().contains("\"500ms\""), e.getMessage());
    }

    @Test
    void badValuesNameTheirKey() {
        assertTrue(assertThrows(ConfigException.class,
                () -> parse("reload:\n  services:\n    tcp:\n      dirs: [.]\n      recursive: maybe\n"))
                .getMessage().contains("reload.services.tcp.recursive: must be true or false"));
        assertTrue(assertThrows(ConfigException.class,
                () -> parse("reload:\n  services:\n    tcp:\n      dirs: [{a: b}]\n"))
                .getMessage().contains("reload.services.tcp.dirs[0]: must be a string"));
        assertTrue(assertThrows(ConfigException.class, () -> parse("reload: 5\n"))
                .getMessage().contains("reload: must be a map"));
    }
}
