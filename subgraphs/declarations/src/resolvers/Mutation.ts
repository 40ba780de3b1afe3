import type { DeclarationsContext } from '../context';

type Input<T> = { input: T };

/** Mutations: thin; the rules and authorization live in the services. */
export const Mutation = {
  submitDeclarationRequest: (_: unknown, { input }: Input<{ doctorId: string; divisionId: string }>, ctx: DeclarationsContext) => ctx.requests.submit(input),
  cancelDeclarationRequest: (_: unknown, { input }: Input<{ id: string }>, ctx: DeclarationsContext) => ctx.requests.cancel(input),
  terminateDeclaration: (_: unknown, { input }: Input<{ id: string; reason?: string | null; description?: string | null }>, ctx: DeclarationsContext) =>
    ctx.declarations.terminate(input),
  signDeclarationRequest: (_: unknown, { input }: Input<{ id: string }>, ctx: DeclarationsContext) => ctx.requests.sign(input),
  rejectDeclarationRequest: (_: unknown, { input }: Input<{ id: string; reason: string }>, ctx: DeclarationsContext) => ctx.requests.reject(input),
};
