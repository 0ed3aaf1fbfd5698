package dev.athena.cli;

import java.nio.file.Path;

import picocli.CommandLine;

/** {@code NAME=FOLDER}: a component name and its folder. */
record VolumeArg(String name, Path folder) {
    static final class Converter implements CommandLine.ITypeConverter<VolumeArg> {
        @Override
        public VolumeArg convert(String value) {
            int eq = value.indexOf('=');
            if (eq <= 0 || eq == value.length() - 1) {
                throw new CommandLine.TypeConversionException("expected NAME=FOLDER, got '" + value + "'");
            }
            String name = value.substring(0, eq);
            if (!name.matches("[a-z][a-z0-9-]{0,62}")) {
                throw new CommandLine.TypeConversionException("component name '" + name + "' must be lowercase letters, digits and '-'");
            }
            return new VolumeArg(name, Path.of(value.substring(eq + 1)).toAbsolutePath());
        }
    }
}
