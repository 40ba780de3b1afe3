import { RemoteGraphQLDataSource, type GraphQLDataSourceProcessOptions } from '@apollo/gateway';
import { CALLER_TOKEN_HEADER, REQUEST_ID_HEADER, signCallerToken, subgraphAudience } from '@pc/auth';
import type { Histogram } from 'prom-client';
import type { GatewayContext } from './context';
import type { SubgraphFetcher } from './subgraphFetcher';

/**
 * Sends subgraph fetches with a short-lived caller token signed for that one subgraph, instead
 * of trusted plain headers: a subgraph can verify that the request came through the gateway
 * and who the verified caller is.
 */
export class CallerDataSource extends RemoteGraphQLDataSource<GatewayContext> {
  constructor(
    private readonly subgraphName: string,
    url: string,
    private readonly secret: string,
    fetchDuration?: Histogram<'subgraph'>,
    /** How calls are sent; default the global fetch (createGatewayServer passes the keep-alive node:http fetcher). */
    send: SubgraphFetcher = fetch as unknown as SubgraphFetcher,
  ) {
    const fetcher: SubgraphFetcher = fetchDuration
      ? async (input, init) => {
          const end = fetchDuration.startTimer({ subgraph: subgraphName });
          try {
            return await send(input, init);
          } finally {
            end();
          }
        }
      : send;
    super({ url, fetcher: fetcher as never });
  }

  /** The warm-up plans operations without sending anything: an empty answer ends the plan's execution. */
  override process(options: GraphQLDataSourceProcessOptions<GatewayContext>): ReturnType<RemoteGraphQLDataSource<GatewayContext>['process']> {
    if ('warmUp' in options.context && options.context.warmUp) return Promise.resolve({});
    return super.process(options);
  }

  override async willSendRequest({ request, context }: GraphQLDataSourceProcessOptions<GatewayContext>): Promise<void> {
    const headers = request.http?.headers;
    if (!headers || !('caller' in context) || !context.caller) return;
    const token = await signCallerToken(context.caller, { secret: this.secret, audience: subgraphAudience(this.subgraphName) });
    headers.set(CALLER_TOKEN_HEADER, token);
    headers.set(REQUEST_ID_HEADER, context.caller.requestId);
    if (context.clientName) headers.set('apollographql-client-name', context.clientName);
  }
}
