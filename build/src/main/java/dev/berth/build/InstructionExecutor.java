package dev.berth.build;

/** What one Dockerfile instruction does; one implementation per instruction, as Docker's dispatchers are. */
interface InstructionExecutor {
    /** Expands and checks the instruction against the stage as it is; throws Docker's error for bad input. */
    Step prepare(Instruction in, StepContext ctx) throws BuildException;
}
