import { type MessageInitShape, create } from '@bufbuild/protobuf';
import { type CommandError, CommandErrorSchema, ErrorKind, type FieldProblemSchema } from '@lianluo/contracts';

/**
 * Thrown by a command handler to answer with a typed error. Anything else a handler throws
 * is answered as ERROR_KIND_INTERNAL and logged.
 */
export class CommandFailure extends Error {
  constructor(
    readonly kind: ErrorKind,
    message: string,
    readonly field = '',
    /** Every field at fault with its place in a document, when there are several. */
    readonly problems: readonly MessageInitShape<typeof FieldProblemSchema>[] = [],
  ) {
    super(message);
    this.name = 'CommandFailure';
  }

  static invalid(field: string, reason: string): CommandFailure {
    return new CommandFailure(ErrorKind.INVALID_ARGUMENT, `${field} ${reason}`, field);
  }

  static gone(message: string): CommandFailure {
    return new CommandFailure(ErrorKind.GONE, message);
  }

  toError(): CommandError {
    return create(CommandErrorSchema, { kind: this.kind, message: this.message, field: this.field, problems: [...this.problems] });
  }
}

/**
 * Thrown by a command handler when the command is meant for another instance (a call owned
 * by another site): this instance stays silent and the owner answers.
 */
export class NotForThisInstance extends Error {
  constructor(reason: string) {
    super(reason);
    this.name = 'NotForThisInstance';
  }
}
