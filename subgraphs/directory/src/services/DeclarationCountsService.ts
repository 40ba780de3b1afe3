import type { DataSource } from 'typeorm';
import { requireService, type Caller } from '@pc/auth';
import type { DirectorySettings } from '../config';
import type { DeclarationCountInput } from '../generated/graphql';
import { ProviderStore } from './ProviderStore';

/**
 * The directory's side of the declarations domain's outbox: the declarations relay reports each
 * doctor's current counts, which feed the `acceptingNewPatients` search filter. Internal
 * services only (a patient's or doctor's token is FORBIDDEN); the operation is hidden from the
 * public API by `@inaccessible`.
 */
export class DeclarationCountsService {
  constructor(
    private readonly ds: DataSource,
    private readonly settings: DirectorySettings,
    private readonly caller: Caller,
  ) {}

  /** Records the counts (doctors the directory does not know are skipped); returns how many were given. */
  async record(counts: readonly DeclarationCountInput[]): Promise<number> {
    requireService(this.caller);
    await new ProviderStore(this.ds).recordDeclarationCounts(counts, this.settings.declarationLimits);
    return counts.length;
  }
}
