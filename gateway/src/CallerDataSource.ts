import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CALLER_TOKEN_HEADER, REQUEST_ID_HEADER } from '@pc/auth';
import type { Histogram } from 'prom-client';
import type { CallerTokenCache } from './auth/callerTokenCache';
import type { GatewayContext } from './context';
import { SubgraphHttpError, SubgraphUnreachableError, classifyFetchFailure, failedFetchPaths, failedFetchResponse } from './failedFetch';
import type { SubgraphFetcher } from './subgraphFetcher';
import { batchingFetcher } from './subgraphBatching';
import type { EntityCache } from './entityCache/EntityCache';

type ProcessResult = ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']>;

/**
 * Sends subgraph fetches with a short-lived caller token signed for that one subgraph, instead
 * of trusted plain headers: a subgraph can verify that the request came through the gateway
 * and who the verified caller is. Tokens come from a {@link CallerTokenCache} (one per caller and
 * subgraph, reused while ≥ 15 s of their 60 s remain); the request id goes in `x-request-id`.
 *
 * A fetch that fails below GraphQL (connection refused or reset, timeout, an HTTP error status,
 * a body that is not GraphQL JSON) is answered here with a GraphQL response whose errors carry
 * the path of every field the fetch would have filled (`DEPENDENCY_UNAVAILABLE`, see
 * failedFetch.ts), instead of a thrown error that @apollo/gateway reports without a path and with
 * the subgraph's URL and body in `extensions.response`. Nothing is retried: the next request
 * opens a new connection, so a subgraph that comes back serves it without a gateway restart.
 */
export class CallerDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraphName: string,
    url: string,
    /** Where caller tokens come from (it holds INTERNAL_TOKEN_SECRET); createGatewayServer shares one among all subgraphs. */
    private readonly callerTokens: CallerTokenCache,
    fetchDuration?: Histogram<'subgraph'>,
    /** How calls are sent; default the global fetch (createGatewayServer passes the keep-alive node:http fetcher). */
    send: SubgraphFetcher = fetch as unknown as SubgraphFetcher,
    /** Answers cacheable `_entities` fetches per entity (entityCache/); none: every fetch is sent. */
    private readonly entityCache?: EntityCache,
    /** Fetches of one request to this subgraph in the same tick go as one batched call (subgraphBatching.ts, SUBGRAPH_BATCHING). */
    batch = false,
  ) {
    const transport = batch ? batchingFetcher(send) : send;
    // One wrapper per fetch: times it (when asked) and marks a failure to get any HTTP answer.
    const fetcher: SubgraphFetcher = async (input, init) => {
      const end = fetchDuration?.startTimer({ subgraph: subgraphName });
      try {
        return await transport(input, init);
      } catch (err) {
        throw new SubgraphUnreachableError(err);
      } finally {
        end?.();
      }
    };
    super({ url, fetcher: fetcher as never });
  }

  /** An HTTP error status, kept apart from the URL and body Apollo would put in `extensions.response`. */
  override async errorFromResponse(response: Parameters<RemoteGraphQLDataSource['errorFromResponse']>[0]): Promise<SubgraphHttpError> {
    let body: unknown;
    try {
      body = await this.parseBody(response);
    } catch {
      body = undefined;
    }
    return new SubgraphHttpError(response.status, body);
  }

  /** The warm-up plans operations without sending anything: an empty answer ends the plan's execution. */
  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    if ('warmUp' in options.context && options.context.warmUp) return Promise.resolve({});
    if (this.entityCache) return this.entityCache.process(this.subgraphName, options, (o) => this.send(o));
    return this.send(options);
  }

  private send(options: GraphQLDataSourceProcessOptions<GatewayContext>): ProcessResult {
    return super.process(options).catch((err: unknown) => this.failedFetch(options, err));
  }

  private failedFetch(options: GraphQLDataSourceProcessOptions<GatewayContext>, err: unknown): Awaited<ProcessResult> {
    const failure = classifyFetchFailure(err);
    const { request } = options;
    const paths = failedFetchPaths(request.query ?? '', 'document' in options ? options.document : undefined, request.variables);
    const log = 'log' in options.context ? (options.context as GatewayContext).log : undefined;
    const cause = err instanceof SubgraphUnreachableError ? err.cause : err;
    // An unreachable subgraph is an operational event; anything else is a fault to look at.
    log?.[failure.code === 'DEPENDENCY_UNAVAILABLE' ? 'warn' : 'error'](
      { subgraph: this.subgraphName, code: failure.code, status: err instanceof SubgraphHttpError ? err.status : undefined, err: cause, fields: paths.length },
      'subgraph fetch failed',
    );
    return failedFetchResponse(failure, paths);
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = request.http?.headers;
    if (!headers || !('caller' in context) || !context.caller) return;
    const token = await this.callerTokens.token(context.caller, this.subgraphName);
    headers.set(CALLER_TOKEN_HEADER, token);
    headers.set(REQUEST_ID_HEADER, context.caller.requestId);
    if (context.clientName) headers.set('apollographql-client-name', context.clientName);
  }
}
