package dev.berth.cli;

import picocli.CommandLine.Mixin;

/** A management command ("container", "image") that only groups verbs; alone it prints its help, like docker. */
public final class GroupCommand {
    @Mixin
    HelpOption help;
}
