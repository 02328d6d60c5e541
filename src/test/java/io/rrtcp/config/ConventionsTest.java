package io.rrtcp.config;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What users bring from RoadRunner: ${VAR} in any value, -o overrides, dotenv files, the logs section. */
class ConventionsTest {
    @TempDir
    Path dir;

    private static final String BASE = """
            version: '3'
            server:
              command: "php ${APP:-worker.php}"
              env:
                - GREETING: "hello ${NAME}"
            tcp:
              servers:
                smtp:
                  addr: "127.0.0.1:${SMTP_PORT:-7025}"
              pool:
                num_workers: 2
            """;

    private RrConfig parse(String yaml, List<String> overrides, Map<String, String> env) {
        return ConfigLoader.parse(yaml, dir.resolve(".rr.yaml"), new ConfigOptions(overrides, env));
    }

    @Test
    void variablesAreSubstitutedInValuesAndListItems() {
        RrConfig c = parse(BASE, List.of(), Map.of("NAME", "world", "SMTP_PORT", "2525"));
        assertEquals(List.of("php", "worker.php"), c.server().command());
        assertEquals("hello world", c.server().env().get("GREETING"));
        assertEquals(2525, c.tcp().servers().get("smtp").addr().port());
    }

    @Test
    void overridesSetAnyKeyPathAndAreSubstitutedToo() {
        RrConfig c = parse(BASE, List.of("tcp.pool.num_workers=4", "TCP.servers.smtp.addr='127.0.0.1:${P}'",
                "rpc.listen=tcp://127.0.0.1:6002"), Map.of("P", "2626"));
        assertEquals(4, c.tcp().pool().numWorkers());
        assertEquals(2626, c.tcp().servers().get("smtp").addr().port());
        assertEquals("tcp://127.0.0.1:6002", c.rpc().orElseThrow().listen());
    }

    @Test
    void anOverrideWithoutKeyIsABadInputNamingIt() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(BASE, List.of("=4"), Map.of()));
        assertTrue(e.getMessage().contains("-o =4: expected key.path=value"), e.getMessage());
        ConfigException bad = assertThrows(ConfigException.class,
                () -> parse(BASE, List.of("tcp.pool.num_workers=many"), Map.of()));
        assertTrue(bad.getMessage().contains("tcp.pool.num_workers"), bad.getMessage());
    }

    @Test
    void dotenvFilesFillTheEnvironmentWithoutOverridingIt() throws IOException {
        Path dotenv = dir.resolve("prod.env");
        Files.writeString(dotenv, "# comment\nexport NAME=\"from \\\"dotenv\\\"\"\nSMTP_PORT=2727 # trailing\nAPP='w.php'\n");
        Map<String, String> env = Dotenv.read(dotenv);
        assertEquals(Map.of("NAME", "from \"dotenv\"", "SMTP_PORT", "2727", "APP", "w.php"), env);

        Files.writeString(dir.resolve(".env"), "NAME=envfile\nSMTP_PORT=2828\n");
        RrConfig c = parse("envfile: .env\n" + BASE, List.of(), Map.of("SMTP_PORT", "2929"));
        assertEquals("hello envfile", c.server().env().get("GREETING"));
        assertEquals(2929, c.tcp().servers().get("smtp").addr().port(), "a set variable wins over the envfile");
    }

    @Test
    void aMissingEnvfileIsAnErrorNamingTheKey() {
        ConfigException e = assertThrows(ConfigException.class, () -> parse("envfile: nope.env\n" + BASE, List.of(), Map.of()));
        assertEquals("envfile", e.key());
        assertTrue(e.getMessage().contains("nope.env: no such file"), e.getMessage());
    }

    @Test
    void aBrokenDotenvLineIsReportedWithItsNumber() throws IOException {
        Path dotenv = dir.resolve("bad.env");
        Files.writeString(dotenv, "OK=1\nthis is not a var\n");
        ConfigException e = assertThrows(ConfigException.class, () -> Dotenv.read(dotenv));
        assertTrue(e.getMessage().contains("line 2"), e.getMessage());
    }

    @Test
    void logsSectionWithUpstreamDefaultsAndLeniency() {
        assertEquals(LogsConfig.DEFAULT, parse(BASE, List.of(), Map.of()).logs());
        LogsConfig prod = parse(BASE + "logs:\n  mode: production\n  output: [stdout, rr.log]\n", List.of(), Map.of()).logs();
        assertEquals(new LogsConfig("production", "debug", "", List.of("stdout", "rr.log")), prod);
        assertTrue(prod.json(), "production means JSON lines");
        LogsConfig console = parse(BASE + "logs:\n  mode: production\n  encoding: console\n  level: WARNING\n",
                List.of(), Map.of()).logs();
        assertFalse(console.json(), "an explicit encoding wins");
        assertEquals("warn", console.level());
        RrConfig odd = parse(BASE + "logs:\n  mode: loud\n  level: chatty\n  output: stderr\n", List.of(), Map.of());
        assertEquals(new LogsConfig("development", "debug", "", List.of("stderr")), odd.logs());
        assertEquals(2, odd.warnings().stream().filter(w -> w.contains("logs.")).count(), odd.warnings().toString());
        ConfigException e = assertThrows(ConfigException.class,
                () -> parse(BASE + "logs:\n  encoding: xml\n", List.of(), Map.of()));
        assertTrue(e.getMessage().contains("logs.encoding"), e.getMessage());
    }

    @Test
    void durationsFromOverridesUseGoSyntax() {
        RrConfig c = parse(BASE, List.of("tcp.pool.allocate_timeout=1m30s"), Map.of());
        assertEquals(Duration.ofSeconds(90), c.tcp().pool().allocateTimeout());
    }
}
