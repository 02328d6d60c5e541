package io.rrtcp.config;

import java.nio.file.Path;
import java.util.regex.Pattern;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.Tag;
import org.yaml.snakeyaml.representer.Representer;
import org.yaml.snakeyaml.resolver.Resolver;

/**
 * Reads YAML text into plain maps, lists, strings, numbers and booleans with SnakeYAML's safe constructor, typing
 * plain scalars the way upstream's Go YAML library does.
 */
final class YamlReader {
    private YamlReader() {
    }

    /** The document's root value, or null for an empty document. */
    static Object read(String yaml, Path file) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false); // Go's yaml.v3 rejects them too; silently keeping the last one hides typos
        DumperOptions unused = new DumperOptions();
        Yaml parser = new Yaml(new SafeConstructor(options), new Representer(unused), unused, options,
                new GoCompatibleResolver());
        try {
            return parser.load(yaml);
        } catch (MarkedYAMLException e) {
            throw new ConfigException(file, "", describe(e));
        } catch (YAMLException e) {
            throw new ConfigException(file, "", "invalid YAML: " + oneLine(e.getMessage()));
        }
    }

    /** SnakeYAML's own message spans several lines with a snippet; logs want one line. */
    private static String describe(MarkedYAMLException e) {
        Mark mark = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
        String where = mark == null ? "" : " at line " + (mark.getLine() + 1) + ", column " + (mark.getColumn() + 1);
        String context = e.getContext() == null ? "" : " (" + oneLine(e.getContext()) + ")";
        return "invalid YAML" + where + ": " + oneLine(String.valueOf(e.getProblem())) + context;
    }

    private static String oneLine(String text) {
        return text == null ? "" : text.strip().replaceAll("\\s*\\n\\s*", " ");
    }

    /**
     * YAML 1.2 core-schema typing as in Go's yaml.v3: only true/false are booleans (so {@code on}, {@code yes},
     * {@code no} stay strings), timestamps stay strings, and {@code 80:30} is not a base-60 number.
     */
    private static final class GoCompatibleResolver extends Resolver {
        private static final Pattern BOOL = Pattern.compile("^(?:true|True|TRUE|false|False|FALSE)$");
        private static final Pattern INT = Pattern.compile("^[-+]?(?:0|[1-9][0-9_]*|0[0-7_]+|0x[0-9a-fA-F_]+)$");
        private static final Pattern FLOAT = Pattern.compile("^(?:[-+]?(?:\\.[0-9]+|[0-9][0-9_]*\\.[0-9_]*"
                + "|[0-9][0-9_]*(?:\\.[0-9_]*)?[eE][-+]?[0-9]+|\\.[0-9]+[eE][-+]?[0-9]+)"
                + "|[-+]?\\.(?:inf|Inf|INF)|\\.(?:nan|NaN|NAN))$");

        @Override
        protected void addImplicitResolvers() {
            addImplicitResolver(Tag.BOOL, BOOL, "tTfF", 10);
            addImplicitResolver(Tag.INT, INT, "-+0123456789");
            addImplicitResolver(Tag.FLOAT, FLOAT, "-+0123456789.");
            addImplicitResolver(Tag.MERGE, MERGE, "<", 10);
            addImplicitResolver(Tag.NULL, NULL, "~nN\0", 10);
            addImplicitResolver(Tag.NULL, EMPTY, null, 10);
            addImplicitResolver(Tag.YAML, YAML, "!&*", 10);
        }
    }
}
