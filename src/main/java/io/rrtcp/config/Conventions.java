package io.rrtcp.config;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * RoadRunner's config conventions applied to the raw YAML tree before validation: {@code envfile}, then {@code -o}
 * overrides, then {@code ${VAR}} substitution in every string value.
 */
final class Conventions {

    private Conventions() {
    }

    static Object apply(Object tree, Path file, ConfigOptions options, List<String> warnings) {
        return apply(tree, file, environment(tree, file, options), options, warnings);
    }

    /** The variables rr-tcp works with: {@code options.env()} plus the {@code envfile}'s (set variables win). */
    static Map<String, String> environment(Object tree, Path file, ConfigOptions options) {
        Map<String, String> env = new HashMap<>(options.env());
        if (tree instanceof Map<?, ?> map && map.get("envfile") instanceof String envfile && !envfile.isEmpty()) {
            Path dir = file.toAbsolutePath().getParent();
            Path dotenv = dir == null ? Path.of(envfile) : dir.resolve(envfile);
            if (!java.nio.file.Files.isRegularFile(dotenv)) {
                throw new ConfigException(file, "envfile", "cannot read dotenv file " + dotenv + ": no such file");
            }
            Dotenv.read(dotenv).forEach(env::putIfAbsent);
        }
        return env;
    }

    /** Overrides, then {@code ${VAR}} substitution from {@code env}. */
    static Object apply(Object tree, Path file, Map<String, String> env, ConfigOptions options, List<String> warnings) {
        for (String override : options.overrides()) {
            tree = Overrides.apply(tree, override, file);
        }
        return new EnvExpander(env).expandTree(tree, "", problem -> warnings.add(file + ": " + problem));
    }

}
