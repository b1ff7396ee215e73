import type { CloudonixConnectionView, UpdateCloudonixConnectionInput } from '../../../../core/schemas/cloudonix-connection.js';
import type { SetupApplyInput, SetupApplyResult, SetupCheckView } from '../../../../core/schemas/cloudonix-setup.js';

/** GET /api/cloudonix/setup: each item the domain needs, what is missing, what arrived. */
export type SetupCheck = SetupCheckView;
export type SetupStep = SetupCheckView['steps'][number];
export type SetupItem = SetupStep['item'];
export type SetupResult = SetupApplyResult;
export type ApplySetupInput = Partial<SetupApplyInput>;

/** GET /api/cloudonix/connection: never the key, only its last characters. */
export type CloudonixConnection = CloudonixConnectionView;
export type UpdateConnectionInput = UpdateCloudonixConnectionInput;
