package dev.athena.architecture;

import static com.tngtech.archunit.library.Architectures.layeredArchitecture;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.library.Architectures.LayeredArchitecture;

/**
 * Dependencies run one way, from the store up to the entry points; a class that imports from a
 * layer above its own, or two packages that import each other, fail the build here, with the
 * offending import in the message.
 */
class LayersTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("dev.athena");

    /** Bottom first; the packages of one tier may use every tier below theirs and none of each other. */
    static final List<List<String>> TIERS = List.of(
            List.of("storage", "concurrent", "logging"),
            List.of("repository"),
            List.of("volume"),
            List.of("component"),
            List.of("backup", "restore", "maintenance"),
            List.of("schedule"),
            List.of("config"),
            List.of("service"),
            List.of("api", "client"),
            List.of("demo"),
            List.of("cli"));

    static LayeredArchitecture layers() {
        LayeredArchitecture rule = layeredArchitecture().consideringOnlyDependenciesInLayers();
        for (List<String> tier : TIERS) {
            for (String layer : tier) {
                rule = rule.layer(layer).definedBy("dev.athena." + layer + "..");
            }
        }
        List<String> below = new ArrayList<>();
        for (List<String> tier : TIERS) {
            for (String layer : tier) {
                rule = below.isEmpty() ? rule.whereLayer(layer).mayNotAccessAnyLayer()
                        : rule.whereLayer(layer).mayOnlyAccessLayers(below.toArray(String[]::new));
            }
            below.addAll(tier);
        }
        return rule;
    }

    @Test
    void eachLayerUsesOnlyTheLayersBelowIt() {
        layers().check(MAIN);
    }

    @Test
    void noPackagesDependOnEachOther() {
        slices().matching("dev.athena.(**)").should().beFreeOfCycles().check(MAIN);
    }
}
