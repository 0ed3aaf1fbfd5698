package dev.athena.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --include COMPONENT:ITEM}, repeated: what an item-level restore takes, by component. ITEM
 * is a path of a volume ({@code metagraph:projects/a}), a repository of the gitserver
 * ({@code gitserver:team/app.git}), a database ({@code postgres:sales}, or {@code postgres:sales=sales_copy}
 * beside the original) or a key of the config ({@code config:APP_HOST}).
 */
final class ItemArgs {
    private ItemArgs() {
    }

    static Map<String, List<String>> parse(List<String> args) {
        Map<String, List<String>> out = new LinkedHashMap<>();
        if (args == null) {
            return out;
        }
        for (String arg : args) {
            int colon = arg.indexOf(':');
            if (colon <= 0 || colon == arg.length() - 1) {
                throw new IllegalArgumentException("--include " + arg + ": write COMPONENT:ITEM, e.g. metagraph:projects/a, gitserver:team/app.git,"
                        + " postgres:sales or config:APP_HOST");
            }
            out.computeIfAbsent(arg.substring(0, colon), k -> new ArrayList<>()).add(arg.substring(colon + 1));
        }
        return out;
    }
}
