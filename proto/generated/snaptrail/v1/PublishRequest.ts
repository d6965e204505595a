// Original file: proto/snaptrail/v1/collector.proto

import type { Event as _snaptrail_v1_Event, Event__Output as _snaptrail_v1_Event__Output } from '../../snaptrail/v1/Event.js';

export interface PublishRequest {
  'event'?: (_snaptrail_v1_Event | null);
}

export interface PublishRequest__Output {
  'event': (_snaptrail_v1_Event__Output | null);
}
