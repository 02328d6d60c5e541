package io.rrtcp.config;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigLoaderTest {
    private static final Path FILE = Path.of("conf", ".rr.yaml");
    private static final int MB = 1_048_576;
    private static final String VERSION_AND_SERVER = """
            version: "3"
            server:
              command: php worker.php
            """;
    private static final String ONE_SERVER = """
            servers:
              smtp:
                addr: 127.0.0.1:7777
            """;

    // ---- helpers: build small documents around the part under test ----

    private static String withTcp(String tcpBody) {
        return VERSION_AND_SERVER + "tcp:\n" + tcpBody.indent(2);
    }

    private static String withServer(String serverBody) {
        return withTcp("servers:\n  smtp:\n" + serverBody.indent(4));
    }

    private static String withPool(String poolBody) {
        return withTcp(ONE_SERVER + "pool:\n" + poolBody.indent(2));
    }

    private static String withSections(String sections) {
        return withTcp(ONE_SERVER) + sections;
    }

    private static String withServerSection(String serverSectionBody) {
        return "version: \"3\"\nserver:\n" + serverSectionBody.indent(2) + "tcp:\n" + ONE_SERVER.indent(2);
    }

    private static RrConfig parse(String yaml) {
        return ConfigLoader.parse(yaml, FILE);
    }

    private static void assertRejected(String yaml, String key, String problem) {
        ConfigException e = assertThrows(ConfigException.class, () -> parse(yaml));
        assertEquals(key, e.key());
        assertEquals(FILE, e.file());
        assertEquals("conf/.rr.yaml: " + (key.isEmpty() ? "" : key + ": ") + problem, e.getMessage());
    }

    private static void assertWarnings(String yaml, String... warnings) {
        assertEquals(List.of(warnings), parse(yaml).warnings());
    }

    @Nested
    class WholeFile {
        @Test
        void loadsACompleteConfigurationFromTheResourcesFixture() throws URISyntaxException {
            Path file = Path.of(ConfigLoaderTest.class.getResource("/config/full.rr.yaml").toURI());

            RrConfig config = ConfigLoader.load(file);

            assertEquals(file, config.file());
            assertEquals("3", config.version());
            assertEquals(List.of("php", "-d", "memory_limit=256M", "tcp worker.php"), config.server().command());
            assertEquals(Map.of("APP_ENV", "production", "APP_DEBUG", "false", "WORKERS", "4"), config.server().env());
            assertEquals(Optional.of(new RpcConfig("tcp://127.0.0.1:6001")), config.rpc());
            assertEquals(2 * MB, config.tcp().readBufSize());
            assertEquals(List.of("smtp", "server1", "any"), List.copyOf(config.tcp().servers().keySet()));

            TcpServerConfig smtp = config.tcp().servers().get("smtp");
            assertEquals(new ListenAddress("127.0.0.1", 1025), smtp.addr());
            assertArrayEquals("\r\n".getBytes(UTF_8), smtp.delimiter());
            assertEquals(2 * MB, smtp.readBufSize());
            TcpServerConfig server1 = config.tcp().servers().get("server1");
            assertEquals("server1", server1.name());
            assertEquals(new ListenAddress("::1", 7778), server1.addr());
            assertArrayEquals("--end--".getBytes(UTF_8), server1.delimiter());
            assertEquals(4 * MB, server1.readBufSize());
            assertEquals(new ListenAddress("", 7779), config.tcp().servers().get("any").addr());

            assertEquals(new PoolConfig(2, 64, Duration.ofSeconds(10), Duration.ofSeconds(90), Optional.empty(),
                    0, Duration.ofSeconds(60), Duration.ofSeconds(60), false, Optional.of(new SupervisorConfig(
                    Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO, Duration.ZERO, 128))), config.tcp().pool());
            assertEquals(RelayConfig.PIPES, config.server().relay());
            assertEquals(Duration.ofSeconds(60), config.server().relayTimeout());
            assertEquals(Optional.empty(), config.server().onInit());
            assertEquals(List.of(), config.warnings());
        }

        @Test
        void loadsARealFile(@TempDir Path dir) throws IOException {
            Path file = dir.resolve(".rr.yaml");
            Files.writeString(file, withSections("http:\n  address: :8080\n"));

            RrConfig config = ConfigLoader.load(file);

            assertEquals(file, config.file());
            assertEquals(List.of(file + ": http: section is not used by rr-tcp (ignored)"), config.warnings());
        }

        @Test
        void missingFileIsReportedWithItsPath(@TempDir Path dir) {
            Path file = dir.resolve("absent.yaml");
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
            assertEquals(file + ": cannot read config file: no such file", e.getMessage());
            assertEquals("", e.key());
            assertEquals(file, e.file());
        }

        @Test
        void directoryCannotBeRead(@TempDir Path dir) {
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(dir));
            assertTrue(e.getMessage().startsWith(dir + ": cannot read config file: "), e.getMessage());
        }

        @Test
        void nonUtf8FileCannotBeRead(@TempDir Path dir) throws IOException {
            Path file = dir.resolve("latin1.yaml");
            Files.write(file, new byte[] {'v', ':', ' ', (byte) 0xE9, '\n'});
            ConfigException e = assertThrows(ConfigException.class, () -> ConfigLoader.load(file));
            assertEquals(file + ": cannot read config file: not valid UTF-8 text", e.getMessage());
        }

        @Test
        void invalidYamlNamesFileLineAndColumnOnOneLine() {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> parse("version: \"3\"\nserver:\n  command: [php\ntcp: {\n"));
            assertEquals("", e.key());
            assertTrue(e.getMessage().startsWith("conf/.rr.yaml: invalid YAML at line "), e.getMessage());
            assertTrue(e.getMessage().matches(".*line \\d+, column \\d+: .+"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }

        @Test
        void badIndentationIsInvalidYaml() {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> parse("version: \"3\"\nserver:\n  command: php\n env: {}\n"));
            assertTrue(e.getMessage().startsWith("conf/.rr.yaml: invalid YAML at line 4, column 2: "), e.getMessage());
        }

        @Test
        void duplicateKeysAreInvalidYaml() {
            ConfigException e = assertThrows(ConfigException.class, () -> parse(withSections("tcp: {}\n")));
            assertTrue(e.getMessage().startsWith("conf/.rr.yaml: invalid YAML at line "), e.getMessage());
            assertTrue(e.getMessage().contains("found duplicate key tcp"), e.getMessage());
        }

        @Test
        void keysDifferingOnlyInCaseAreDuplicates() {
            assertRejected(withSections("TCP: {}\n"), "", "duplicate key \"tcp\" (keys are case-insensitive)");
        }

        @Test
        void arbitraryJavaTypesAreNotConstructed() {
            ConfigException e = assertThrows(ConfigException.class,
                    () -> parse("version: !!java.io.File [\"/etc\"]\n"));
            assertTrue(e.getMessage().startsWith("conf/.rr.yaml: invalid YAML at line 1, column 10: "), e.getMessage());
        }

        @Test
        void documentMustBeAMap() {
            assertRejected("- version\n- tcp\n", "", "the file must be a map of sections (version, server, tcp, ...), got a list");
        }

        @Test
        void emptyFileLacksAVersion() {
            assertRejected("", "version", "rr configuration file should contain a version e.g: version: 3");
        }

        @Test
        void keysAreCaseInsensitive() {
            RrConfig config = parse("""
                    VERSION: "3"
                    Server:
                      Command: php worker.php
                      ENV: {app_env: prod}
                    TCP:
                      Read_Buf_Size: 3
                      SERVERS:
                        SMTP:
                          ADDR: 127.0.0.1:7777
                          Delimiter: "\\n"
                      Pool:
                        Num_Workers: 3
                    RPC:
                      Listen: tcp://127.0.0.1:6002
                    """);

            assertEquals(List.of("php", "worker.php"), config.server().command());
            assertEquals(Map.of("APP_ENV", "prod"), config.server().env());
            assertEquals(3 * MB, config.tcp().readBufSize());
            assertEquals(List.of("smtp"), List.copyOf(config.tcp().servers().keySet()));
            assertArrayEquals(new byte[] {'\n'}, config.tcp().servers().get("smtp").delimiter());
            assertEquals(3, config.tcp().pool().numWorkers());
            assertEquals(Optional.of(new RpcConfig("tcp://127.0.0.1:6002")), config.rpc());
            assertEquals(List.of(), config.warnings());
        }
    }

    @Nested
    class Version {
        @Test
        void isMandatory() {
            assertRejected("server:\n  command: php w.php\n", "version",
                    "rr configuration file should contain a version e.g: version: 3");
        }

        @Test
        void withoutValueCountsAsMissing() {
            assertRejected("version:\n", "version", "rr configuration file should contain a version e.g: version: 3");
        }

        @ParameterizedTest(name = "version: {0} is a {1}")
        @CsvSource({"3, int", "3.0, float", "true, bool", "'[3]', list", "'{v: 3}', map"})
        void mustBeAString(String value, String type) {
            assertRejected("version: " + value + "\n", "version",
                    "version should be a string: `version: \"3\"`, actual type is: " + type);
        }

        @Test
        void threeIsAcceptedSilently() {
            RrConfig config = parse(withSections(""));
            assertEquals("3", config.version());
            assertEquals(List.of(), config.warnings());
        }

        @Test
        void twoSevenIsAcceptedWithAWarningToUpgrade() {
            RrConfig config = parse(withSections("").replace("version: \"3\"", "version: '2.7'"));
            assertEquals("2.7", config.version());
            assertEquals(List.of("conf/.rr.yaml: version: \"2.7\" is the old RoadRunner 2.7 format; "
                    + "please upgrade the file to version: \"3\""), config.warnings());
        }

        @Test
        void otherStringsAreAccepted() {
            assertEquals("4", parse(withSections("").replace("version: \"3\"", "version: \"4\"")).version());
        }
    }

    @Nested
    class Sections {
        @Test
        void unknownSectionIsAWarningNotAnError() {
            assertWarnings(withSections("http:\n  address: :8080\njobs: {}\n"),
                    "conf/.rr.yaml: http: section is not used by rr-tcp (ignored)",
                    "conf/.rr.yaml: jobs: section is not used by rr-tcp (ignored)");
        }

        @Test
        void knownSectionsAreAcceptedSilently() {
            assertWarnings(withSections("""
                    logs:
                      level: info
                    include: [other.yaml]
                    endure:
                      grace_period: 30s
                    """));
        }

        @Test
        void unknownKeysInsideSectionsAreWarnedAboutWithTheirFullPath() {
            assertWarnings("""
                    version: "3"
                    server:
                      command: php w.php
                      comand: typo
                    tcp:
                      read_buf: 2
                      servers:
                        smtp:
                          adr: typo
                          addr: :25
                      pool:
                        num_worker: 4
                    rpc:
                      lisen: tcp://127.0.0.1:6001
                    """,
                    "conf/.rr.yaml: server.comand: unknown key (ignored; check the spelling)",
                    "conf/.rr.yaml: tcp.read_buf: unknown key (ignored; check the spelling)",
                    "conf/.rr.yaml: tcp.servers.smtp.adr: unknown key (ignored; check the spelling)",
                    "conf/.rr.yaml: tcp.pool.num_worker: unknown key (ignored; check the spelling)",
                    "conf/.rr.yaml: rpc.lisen: unknown key (ignored; check the spelling)");
        }

        @Test
        void keysPlannedForLaterAreAcceptedSilentlyAndUnsupportedOnesWarned() {
            assertWarnings("""
                    version: "3"
                    server:
                      command: php w.php
                      relay: pipes
                      relay_timeout: 60s
                      user: www
                      group: www
                      on_init:
                        command: php init.php
                    tcp:
                      servers:
                        smtp:
                          addr: :25
                      pool:
                        max_queue_size: 10
                        reset_timeout: 5s
                        stream_timeout: 5s
                        debug: false
                        supervisor: {ttl: 1h}
                        dynamic_allocator: {max_workers: 10}
                    """,
                    "conf/.rr.yaml: tcp.pool.dynamic_allocator: dynamic allocation is not supported by rr-tcp (ignored); "
                            + "size the pool with num_workers");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "server: php w.php                          | server      | must be a map, got \"php w.php\"",
                "tcp: 5                                     | tcp         | must be a map, got 5",
                "tcp: {servers: [a]}                        | tcp.servers | must be a map, got a list",
                "tcp: {servers: {smtp: x}}                  | tcp.servers.smtp | must be a map, got \"x\"",
                "tcp: {servers: {smtp: {addr: ':1'}}, pool: [1]} | tcp.pool | must be a map, got a list",
                "rpc: tcp://127.0.0.1:6001                  | rpc         | must be a map, got \"tcp://127.0.0.1:6001\"",
        })
        void sectionsOfTheWrongTypeAreRejected(String yaml, String key, String problem) {
            String document = yaml.startsWith("server")
                    ? "version: \"3\"\n" + yaml + "\n"
                    : yaml.startsWith("rpc") ? withSections(yaml + "\n") : VERSION_AND_SERVER + yaml + "\n";
            assertRejected(document, key, problem);
        }
    }

    @Nested
    class Server {
        @Test
        void missingServerSectionMeansNoCommand() {
            assertRejected("version: \"3\"\ntcp:\n" + ONE_SERVER.indent(2), "server.command", "command should not be empty");
        }

        @ParameterizedTest(name = "command: {0}")
        @ValueSource(strings = {"", "''", "'   '", "[]", "['']", "\"''\""})
        void emptyCommandIsRejected(String command) {
            assertRejected(withServerSection("command: " + command + "\n"), "server.command", "command should not be empty");
        }

        @Test
        void commandWithoutValueIsRejected() {
            assertRejected(withServerSection("command:\nrelay: pipes\n"), "server.command", "command should not be empty");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
                "php worker.php                               | php,worker.php",
                "'  php   -f\tworker.php  '                   | php,-f,worker.php",
                "php -d a=1,2 w.php                           | php,-d,a=1;2,w.php",
                "php 'my worker.php'                          | php,my worker.php",
                "'php \"my worker.php\" --x=\"a b\"'          | php,my worker.php,--x=a b",
                "'php \"say \\\"hi\\\"\" \\$HOME'             | php,say \"hi\",$HOME",
                "'php my\\ worker.php'                        | php,my worker.php",
                "php ''                                       | php,",
        })
        void stringCommandIsSplitLikeAShell(String yamlValue, String expected) {
            List<String> argv = List.of(expected.split(",", -1)).stream().map(s -> s.replace(';', ',')).toList();
            assertEquals(argv, parse(withServerSection("command: " + yamlValue + "\n")).server().command());
        }

        @Test
        void unterminatedQuoteIsRejected() {
            assertRejected(withServerSection("command: 'php \"worker.php'\n"), "server.command",
                    "unterminated double quote in: php \"worker.php");
        }

        @Test
        void listCommandIsUsedVerbatim() {
            RrConfig config = parse(withServerSection("command: [php, 'my worker.php', \"a,b\", 42, 1.5, true]\n"));
            assertEquals(List.of("php", "my worker.php", "a,b", "42", "1.5", "true"), config.server().command());
        }

        @Test
        void listCommandItemsMustBeScalars() {
            assertRejected(withServerSection("command: [php, {a: 1}]\n"), "server.command[1]", "must be a string, got a map");
            assertRejected(withServerSection("command: [php, ~]\n"), "server.command[1]", "must be a string, got nothing");
        }

        @Test
        void commandMustBeAStringOrList() {
            assertRejected(withServerSection("command: {php: w}\n"), "server.command",
                    "must be a string or a list of strings, got a map");
        }

        @Test
        void envMapKeysAreUpperCasedAndValuesBecomeText() {
            RrConfig config = parse(withServerSection("""
                    command: php w.php
                    env:
                      app_env: prod
                      Workers: 4
                      DEBUG: true
                      RATIO: 1.50
                      EMPTY:
                      SWITCH: on
                      SINCE: 2024-01-01
                    """));
            assertEquals(Map.of("APP_ENV", "prod", "WORKERS", "4", "DEBUG", "true", "RATIO", "1.5", "EMPTY", "",
                    "SWITCH", "on", "SINCE", "2024-01-01"), config.server().env());
        }

        @Test
        void envListOfMapsIsMerged() {
            RrConfig config = parse(withServerSection("""
                    command: php w.php
                    env:
                      - a: 1
                      - b: 2
                        c: 3
                      - A: overridden
                    """));
            assertEquals(Map.of("A", "overridden", "B", "2", "C", "3"), config.server().env());
        }

        @Test
        void envDefaultsToEmpty() {
            assertEquals(Map.of(), parse(withServerSection("command: php w.php\n")).server().env());
            assertEquals(Map.of(), parse(withServerSection("command: php w.php\nenv:\n")).server().env());
        }

        @Test
        void envValueMustBeAScalar() {
            assertRejected(withServerSection("command: php w.php\nenv:\n  foo: [1, 2]\n"), "server.env.FOO",
                    "must be a string, got a list");
            assertRejected(withServerSection("command: php w.php\nenv:\n  - foo: {a: 1}\n"), "server.env[0].FOO",
                    "must be a string, got a map");
        }

        @Test
        void envMustBeAMapOrListOfMaps() {
            assertRejected(withServerSection("command: php w.php\nenv: A=1\n"), "server.env",
                    "must be a map of NAME: value, or a list of such maps, got \"A=1\"");
            assertRejected(withServerSection("command: php w.php\nenv: [A=1]\n"), "server.env[0]",
                    "must be a map of NAME: value, or a list of such maps, got \"A=1\"");
        }

        @Test
        void envNamesDifferingOnlyInCaseAreDuplicates() {
            assertRejected(withServerSection("command: php w.php\nenv: {foo: 1, FOO: 2}\n"), "server.env",
                    "duplicate key \"FOO\" (keys are case-insensitive)");
        }
    }

    @Nested
    class TcpServers {
        @ParameterizedTest(name = "[{index}]")
        @ValueSource(strings = {"", "tcp:\n", "tcp: {}\n", "tcp:\n  servers:\n", "tcp:\n  servers: {}\n"})
        void noServersIsRejected(String tcp) {
            assertRejected(VERSION_AND_SERVER + tcp, "tcp.servers", "no servers registered");
        }

        @Test
        void namesAreLowerCasedAndKeepFileOrder() {
            RrConfig config = parse(withTcp("""
                    servers:
                      Zeta:
                        addr: :1
                      alpha:
                        addr: :2
                      MID-1.x_y:
                        addr: :3
                    """));
            assertEquals(List.of("zeta", "alpha", "mid-1.x_y"), List.copyOf(config.tcp().servers().keySet()));
            assertEquals("zeta", config.tcp().servers().get("zeta").name());
            assertEquals(new ListenAddress("", 3), config.tcp().servers().get("mid-1.x_y").addr());
        }

        @Test
        void namesMustBePlainWords() {
            assertRejected(withTcp("servers:\n  'my server':\n    addr: :1\n"), "tcp.servers.my server",
                    "server name must consist of letters, digits, '.', '_' and '-', got \"my server\"");
        }

        @Test
        void namesDifferingOnlyInCaseAreDuplicates() {
            assertRejected(withTcp("servers:\n  SMTP:\n    addr: :1\n  smtp:\n    addr: :2\n"), "tcp.servers",
                    "duplicate key \"smtp\" (keys are case-insensitive)");
        }

        @Test
        void missingAddressUsesUpstreamTextWithTheLowerCasedName() {
            assertRejected(withTcp("servers:\n  Server1:\n    delimiter: \"\\n\"\n"), "tcp.servers.server1.addr",
                    "empty address for the server: server1");
            assertRejected(withTcp("servers:\n  smtp:\n"), "tcp.servers.smtp.addr", "empty address for the server: smtp");
            assertRejected(withServer("addr: ''\n"), "tcp.servers.smtp.addr", "empty address for the server: smtp");
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "127.0.0.1:7777           | 127.0.0.1 | 7777",
                "tcp://127.0.0.1:7777     | 127.0.0.1 | 7777",
                "\"[::1]:7777\"           | ::1       | 7777",
                "\"tcp://[::]:7777\"      | ::        | 7777",
                ":7777                    | ''        | 7777",
                "\":7777\"                | ''        | 7777",
                "localhost:7777           | localhost | 7777",
                "0.0.0.0:0                | 0.0.0.0   | 0",
        })
        void acceptedAddresses(String yamlValue, String host, int port) {
            TcpServerConfig smtp = parse(withServer("addr: " + yamlValue + "\n")).tcp().servers().get("smtp");
            assertEquals(new ListenAddress(host, port), smtp.addr());
        }

        @ParameterizedTest(name = "{0}")
        @CsvSource(delimiter = '|', value = {
                "unix://rr.sock         | unix sockets are not supported for tcp servers yet; use host:port (got unix://rr.sock)",
                "http://127.0.0.1:80    | invalid Protocol ([tcp://]:6001, unix://file.sock), address: http://127.0.0.1:80",
                "tcp://tcp://a:1        | wrong number of parsed protocol parts, address: tcp://tcp://a:1",
                "127.0.0.1              | address 127.0.0.1: missing port in address",
                "'::1:80'               | address ::1:80: too many colons in address; write IPv6 addresses in brackets, e.g. [::1]:80",
                "127.0.0.1:65536        | \"127.0.0.1:65536\": port must be a number from 0 to 65535",
                "127.0.0.1:smtp         | \"127.0.0.1:smtp\": port must be a number from 0 to 65535",
                "7777                   | must be a string like 127.0.0.1:7777, got 7777",
        })
        void rejectedAddresses(String yamlValue, String problem) {
            assertRejected(withServer("addr: " + yamlValue + "\n"), "tcp.servers.smtp.addr", problem);
        }

        @Test
        void delimiterDefaultsToCrLf() {
            assertArrayEquals(new byte[] {'\r', '\n'}, parse(withServer("addr: :1\n")).tcp().servers().get("smtp").delimiter());
        }

        private byte[] delimiter(String yamlValue) {
            return parse(withServer("addr: :1\ndelimiter: " + yamlValue + "\n")).tcp().servers().get("smtp").delimiter();
        }

        @Test
        void multiByteDelimiterIsKept() {
            assertArrayEquals("--end--".getBytes(UTF_8), delimiter("\"--end--\""));
            assertArrayEquals("--end--".getBytes(UTF_8), delimiter("--end--"));
        }

        @Test
        void doubleQuotedEscapesAreYamlsJob() {
            assertArrayEquals(new byte[] {'\n'}, delimiter("\"\\n\""));
            assertArrayEquals(new byte[] {0}, delimiter("\"\\0\""));
        }

        @Test
        void singleQuotedBackslashesStayFourCharacters() {
            assertArrayEquals(new byte[] {'\\', 'r', '\\', 'n'}, delimiter("'\\r\\n'"));
        }

        @Test
        void delimiterIsUtf8() {
            assertArrayEquals(new byte[] {(byte) 0xC2, (byte) 0xA7}, delimiter("\"§\""));
        }

        @Test
        void emptyDelimiterIsRejected() {
            assertRejected(withServer("addr: :1\ndelimiter: \"\"\n"), "tcp.servers.smtp.delimiter",
                    "delimiter must not be empty (leave the key out for the default \"\\r\\n\")");
        }

        @Test
        void nonStringDelimiterIsRejected() {
            assertRejected(withServer("addr: :1\ndelimiter: 0\n"), "tcp.servers.smtp.delimiter",
                    "delimiter must be a string, e.g. \"\\r\\n\", got 0");
        }
    }

    @Nested
    class ReadBufSize {
        private int sectionSize(String value) {
            return parse(withTcp("read_buf_size: " + value + "\n" + ONE_SERVER)).tcp().readBufSize();
        }

        @Test
        void defaultsToOneMegabyte() {
            RrConfig config = parse(withTcp(ONE_SERVER));
            assertEquals(MB, config.tcp().readBufSize());
            assertEquals(MB, config.tcp().servers().get("smtp").readBufSize());
        }

        @ParameterizedTest(name = "read_buf_size: {0}")
        @CsvSource({"0, 1", "1, 1", "2, 2", "'\"2\"', 2", "100, 100"})
        void isMegabytes(String value, int megabytes) {
            assertEquals(megabytes * MB, sectionSize(value));
        }

        @ParameterizedTest(name = "read_buf_size: {0}")
        @CsvSource(delimiter = '|', value = {"-1 | -1", "101 | 101", "1.5 | 1.5", "abc | \"abc\"", "true | true"})
        void outOfRangeOrNotAnIntegerIsRejected(String value, String shown) {
            assertRejected(withTcp("read_buf_size: " + value + "\n" + ONE_SERVER), "tcp.read_buf_size",
                    "must be an integer number of megabytes from 1 to 100, got " + shown);
        }

        @Test
        void perServerValueOverridesTheSection() {
            RrConfig config = parse(withTcp("""
                    read_buf_size: 2
                    servers:
                      a:
                        addr: :1
                        read_buf_size: 5
                      b:
                        addr: :2
                      c:
                        addr: :3
                        read_buf_size: 0
                    """));
            assertEquals(5 * MB, config.tcp().servers().get("a").readBufSize());
            assertEquals(2 * MB, config.tcp().servers().get("b").readBufSize());
            assertEquals(2 * MB, config.tcp().servers().get("c").readBufSize());
        }

        @Test
        void perServerValueIsValidatedToo() {
            assertRejected(withServer("addr: :1\nread_buf_size: -3\n"), "tcp.servers.smtp.read_buf_size",
                    "must be an integer number of megabytes from 1 to 100, got -3");
        }
    }

    @Nested
    class Pool {
        private PoolConfig pool(String body) {
            return parse(withPool(body)).tcp().pool();
        }

        @Test
        void absentPoolHasAllDefaults() {
            PoolConfig pool = parse(withTcp(ONE_SERVER)).tcp().pool();
            assertEquals(new PoolConfig(Runtime.getRuntime().availableProcessors(), 0, Duration.ofSeconds(60),
                    Duration.ofSeconds(60), Optional.empty()), pool);
        }

        @Test
        void emptyPoolHasAllDefaults() {
            assertEquals(parse(withTcp(ONE_SERVER)).tcp().pool(), pool(""));
        }

        @ParameterizedTest(name = "num_workers: {0}")
        @CsvSource({"4, 4", "'\"4\"', 4", "500, 500", "1, 1"})
        void numWorkers(String value, int expected) {
            assertEquals(expected, pool("num_workers: " + value).numWorkers());
        }

        @Test
        void zeroWorkersMeansOnePerCpu() {
            assertEquals(Runtime.getRuntime().availableProcessors(), pool("num_workers: 0").numWorkers());
        }

        @Test
        void moreThan500WorkersUsesUpstreamText() {
            assertRejected(withPool("num_workers: 501"), "tcp.pool.num_workers",
                    "number of workers can't be more than 500, got 501");
        }

        @ParameterizedTest(name = "num_workers: {0}")
        @CsvSource(delimiter = '|', value = {"-1 | -1", "1.5 | 1.5", "many | \"many\""})
        void numWorkersMustBeANonNegativeInteger(String value, String shown) {
            assertRejected(withPool("num_workers: " + value), "tcp.pool.num_workers",
                    "must be an integer from 0 (one per CPU) to 500, got " + shown);
        }

        @Test
        void maxJobs() {
            assertEquals(100, pool("max_jobs: 100").maxJobs());
            assertEquals(0, pool("max_jobs: 0").maxJobs());
            assertEquals(10_000_000_000L, pool("max_jobs: \"10000000000\"").maxJobs());
            assertRejected(withPool("max_jobs: -1"), "tcp.pool.max_jobs", "must be an integer >= 0 (0 = unlimited), got -1");
            assertRejected(withPool("max_jobs: x"), "tcp.pool.max_jobs", "must be an integer >= 0 (0 = unlimited), got \"x\"");
        }

        @ParameterizedTest(name = "allocate_timeout: {0}")
        @CsvSource({"500ms, PT0.5S", "1.5s, PT1.5S", "1h30m, PT1H30M", "2m3s, PT2M3S", "60s, PT60S",
                "0, PT60S", "'\"0\"', PT60S", "0s, PT60S"})
        void timeoutsUseGoDurations(String value, Duration expected) {
            assertEquals(expected, pool("allocate_timeout: " + value).allocateTimeout());
            assertEquals(expected, pool("destroy_timeout: " + value).destroyTimeout());
        }

        @Test
        void bareIntegerIsNanosecondsWithAWarning() {
            RrConfig config = parse(withPool("allocate_timeout: 60\ndestroy_timeout: 5"));
            assertEquals(Duration.ofNanos(60), config.tcp().pool().allocateTimeout());
            assertEquals(Duration.ofNanos(5), config.tcp().pool().destroyTimeout());
            assertEquals(List.of(
                    "conf/.rr.yaml: tcp.pool.allocate_timeout: bare number 60 is 60 nanoseconds; write 60s if you meant seconds",
                    "conf/.rr.yaml: tcp.pool.destroy_timeout: bare number 5 is 5 nanoseconds; write 5s if you meant seconds"),
                    config.warnings());
        }

        @ParameterizedTest(name = "allocate_timeout: {0}")
        @CsvSource(delimiter = '|', value = {
                "'\"60\"' | missing unit in duration \"60\"",
                "1d     | invalid duration \"1d\" (use e.g. 500ms, 60s, 1m, 1h30m)",
                "10x    | invalid duration \"10x\" (use e.g. 500ms, 60s, 1m, 1h30m)",
                "abc    | invalid duration \"abc\" (use e.g. 500ms, 60s, 1m, 1h30m)",
                "-1s    | must not be negative, got \"-1s\"",
                "-5     | must not be negative, got -5",
                "1.5    | must be a duration like 500ms, 60s or 1h30m, got 1.5",
                "true   | must be a duration like 500ms, 60s or 1h30m, got true",
        })
        void badTimeoutsAreRejected(String value, String problem) {
            assertRejected(withPool("allocate_timeout: " + value), "tcp.pool.allocate_timeout", problem);
            assertRejected(withPool("destroy_timeout: " + value), "tcp.pool.destroy_timeout", problem);
        }

        @Test
        void commandOverridesAreSplitOrTakenAsList() {
            assertEquals(Optional.of(List.of("php", "pool worker.php")), pool("command: php 'pool worker.php'").command());
            assertEquals(Optional.of(List.of("php", "w.php")), pool("command: [php, w.php]").command());
            assertEquals(Optional.empty(), pool("command: ''").command());
        }

        @Test
        void badCommandOverrideIsRejected() {
            assertRejected(withPool("command: \"php 'w.php\""), "tcp.pool.command", "unterminated single quote in: php 'w.php");
        }

        @Test
        void optionalKeysHaveUpstreamDefaults() {
            PoolConfig pool = pool("num_workers: 1");
            assertEquals(0, pool.maxQueueSize());
            assertEquals(Duration.ofSeconds(60), pool.resetTimeout());
            assertEquals(Duration.ofSeconds(60), pool.streamTimeout());
            assertEquals(false, pool.debug());
            assertEquals(Optional.empty(), pool.supervisor());
        }

        @Test
        void queueResetStreamAndDebug() {
            PoolConfig pool = pool("max_queue_size: 10\nreset_timeout: 5s\nstream_timeout: 1m\ndebug: true");
            assertEquals(10, pool.maxQueueSize());
            assertEquals(Duration.ofSeconds(5), pool.resetTimeout());
            assertEquals(Duration.ofMinutes(1), pool.streamTimeout());
            assertEquals(true, pool.debug());
            assertEquals(true, pool("debug: \"true\"").debug());
            assertEquals(false, pool("debug: \"0\"").debug());
        }

        @Test
        void badOptionalKeysNameTheKey() {
            assertRejected(withPool("max_queue_size: -1"), "tcp.pool.max_queue_size",
                    "must be an integer >= 0 (0 = no limit), got -1");
            assertRejected(withPool("reset_timeout: soon"), "tcp.pool.reset_timeout",
                    "invalid duration \"soon\" (use e.g. 500ms, 60s, 1m, 1h30m)");
            assertRejected(withPool("stream_timeout: -1s"), "tcp.pool.stream_timeout", "must not be negative, got \"-1s\"");
        }

        @Test
        void supervisorDefaultsAndValues() {
            assertEquals(Optional.of(new SupervisorConfig(Duration.ofSeconds(5), Duration.ZERO, Duration.ZERO,
                    Duration.ZERO, 0)), pool("supervisor:").supervisor());
            assertEquals(Optional.of(new SupervisorConfig(Duration.ofSeconds(1), Duration.ofHours(1),
                    Duration.ofMinutes(10), Duration.ofSeconds(30), 128)), pool("""
                    supervisor:
                      watch_tick: 1s
                      ttl: 1h
                      idle_ttl: 10m
                      exec_ttl: 30s
                      max_worker_memory: 128
                    """).supervisor());
        }

        @Test
        void badSupervisorValuesNameTheKey() {
            assertRejected(withPool("supervisor:\n  exec_ttl: soon"), "tcp.pool.supervisor.exec_ttl",
                    "invalid duration \"soon\" (use e.g. 500ms, 60s, 1m, 1h30m)");
            assertRejected(withPool("supervisor:\n  max_worker_memory: -5"), "tcp.pool.supervisor.max_worker_memory",
                    "must be an integer >= 0 (megabytes, 0 = no limit), got -5");
            assertRejected(withPool("supervisor: 5"), "tcp.pool.supervisor", "must be a map, got 5");
            assertRejected(withPool("debug: maybe"), "tcp.pool.debug", "must be true or false, got \"maybe\"");
            assertWarnings(withPool("supervisor:\n  ttll: 1s"),
                    "conf/.rr.yaml: tcp.pool.supervisor.ttll: unknown key (ignored; check the spelling)");
        }
    }

    @Nested
    class RelayAndOnInit {
        private ServerConfig server(String body) {
            return parse(withServerSection("command: php w.php\n" + body)).server();
        }

        @ParameterizedTest(name = "relay: {0}")
        @CsvSource(delimiter = '|', value = {
                "pipes                  | PIPES |           | 0    |",
                "''                     | PIPES |           | 0    |",
                "tcp://127.0.0.1:6002   | TCP   | 127.0.0.1 | 6002 |",
                "tcp://localhost:0      | TCP   | localhost | 0    |",
                "unix:///tmp/rr.sock    | UNIX  |           | 0    | /tmp/rr.sock",
                "unix://rr.sock         | UNIX  |           | 0    | rr.sock",
        })
        void relays(String value, RelayConfig.Type type, String host, int port, String path) {
            RelayConfig relay = server("relay: " + value).relay();
            assertEquals(new RelayConfig(type, host == null ? "" : host, port, path == null ? "" : path), relay);
        }

        @Test
        void relayDsnIsShownAsWritten() {
            assertEquals("tcp://127.0.0.1:6002", server("relay: tcp://127.0.0.1:6002").relay().dsn());
            assertEquals("unix:///tmp/rr.sock", server("relay: unix:///tmp/rr.sock").relay().dsn());
        }

        @ParameterizedTest(name = "relay: {0}")
        @CsvSource(delimiter = '|', value = {
                "'http://x:1'   | invalid DSN (tcp://:6001, unix://file.sock), got \"http://x:1\"",
                "'tcp://'       | invalid DSN (tcp://:6001, unix://file.sock), got \"tcp://\"",
                "5              | invalid DSN (tcp://:6001, unix://file.sock), got 5",
                "'tcp://:6002'  | a tcp relay needs a host, e.g. tcp://127.0.0.1:6002 (PHP workers cannot dial \"tcp://:6002\")",
        })
        void badRelaysNameTheKey(String value, String problem) {
            assertRejected(withServerSection("command: php w.php\nrelay: " + value), "server.relay", problem);
        }

        @Test
        void relayTimeout() {
            assertEquals(Duration.ofSeconds(60), server("").relayTimeout());
            assertEquals(Duration.ofSeconds(5), server("relay_timeout: 5s").relayTimeout());
            assertRejected(withServerSection("command: php w.php\nrelay_timeout: x"), "server.relay_timeout",
                    "invalid duration \"x\" (use e.g. 500ms, 60s, 1m, 1h30m)");
        }

        @Test
        void onInit() {
            OnInitConfig onInit = server("on_init:\n  command: php init.php --x\n  exec_timeout: 5s\n  env:\n    a: b\n")
                    .onInit().orElseThrow();
            assertEquals(new OnInitConfig(List.of("php", "init.php", "--x"), Duration.ofSeconds(5), Map.of("A", "b"), true),
                    onInit);
            assertEquals(Duration.ofSeconds(60), server("on_init:\n  command: x\n").onInit().orElseThrow().execTimeout());
            assertFalse(server("on_init:\n  command: x\n  exit_on_error: false\n").onInit().orElseThrow().exitOnError());
        }

        @Test
        void onInitNeedsACommand() {
            assertRejected(withServerSection("command: php w.php\non_init:\n  exec_timeout: 1s"), "server.on_init.command",
                    "command should not be empty");
        }
    }

    @Nested
    class Rpc {
        @Test
        void absentSectionDisablesRpc() {
            assertEquals(Optional.empty(), parse(withSections("")).rpc());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"rpc:\n", "rpc: {}\n", "rpc:\n  listen:\n", "rpc:\n  listen: ''\n"})
        void listenDefaultsToLocalPort6001(String rpc) {
            assertEquals(Optional.of(new RpcConfig("tcp://127.0.0.1:6001")), parse(withSections(rpc)).rpc());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"tcp://127.0.0.1:6001", "tcp://:6001", "unix://rr.sock", "unix:///run/rr.sock"})
        void tcpAndUnixDsnsAreKeptAsWritten(String dsn) {
            assertEquals(Optional.of(new RpcConfig(dsn)), parse(withSections("rpc:\n  listen: " + dsn + "\n")).rpc());
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(strings = {"127.0.0.1:6001", "http://127.0.0.1:6001", "tcp://a://b", "unix://"})
        void otherDsnsAreRejected(String dsn) {
            assertRejected(withSections("rpc:\n  listen: " + dsn + "\n"), "rpc.listen",
                    "invalid socket DSN (tcp://:6001, unix://file.sock), got \"" + dsn + "\"");
        }

        @Test
        void tcpDsnNeedsAHostPort() {
            assertRejected(withSections("rpc:\n  listen: tcp://127.0.0.1\n"), "rpc.listen",
                    "address 127.0.0.1: missing port in address");
        }

        @Test
        void listenMustBeAString() {
            assertRejected(withSections("rpc:\n  listen: 6001\n"), "rpc.listen",
                    "must be a string like tcp://127.0.0.1:6001, got 6001");
        }
    }
}
