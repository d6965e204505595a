// Original file: proto/snaptrail/v1/query.proto

import type { OutputProducer as _snaptrail_v1_OutputProducer, OutputProducer__Output as _snaptrail_v1_OutputProducer__Output } from '../../snaptrail/v1/OutputProducer.js';

export interface OutputProducers {
  'digest'?: (string);
  'producers'?: (_snaptrail_v1_OutputProducer)[];
}

export interface OutputProducers__Output {
  'digest': (string);
  'producers': (_snaptrail_v1_OutputProducer__Output)[];
}
