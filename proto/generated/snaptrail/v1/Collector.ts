// Original file: proto/snaptrail/v1/collector.proto

import type * as grpc from '@grpc/grpc-js'
import type { MethodDefinition } from '@grpc/proto-loader'
import type { BlobChunk as _snaptrail_v1_BlobChunk, BlobChunk__Output as _snaptrail_v1_BlobChunk__Output } from '../../snaptrail/v1/BlobChunk.js';
import type { HasDigestsRequest as _snaptrail_v1_HasDigestsRequest, HasDigestsRequest__Output as _snaptrail_v1_HasDigestsRequest__Output } from '../../snaptrail/v1/HasDigestsRequest.js';
import type { HasDigestsResponse as _snaptrail_v1_HasDigestsResponse, HasDigestsResponse__Output as _snaptrail_v1_HasDigestsResponse__Output } from '../../snaptrail/v1/HasDigestsResponse.js';
import type { PublishAck as _snaptrail_v1_PublishAck, PublishAck__Output as _snaptrail_v1_PublishAck__Output } from '../../snaptrail/v1/PublishAck.js';
import type { PublishRequest as _snaptrail_v1_PublishRequest, PublishRequest__Output as _snaptrail_v1_PublishRequest__Output } from '../../snaptrail/v1/PublishRequest.js';
import type { PutBlobResponse as _snaptrail_v1_PutBlobResponse, PutBlobResponse__Output as _snaptrail_v1_PutBlobResponse__Output } from '../../snaptrail/v1/PutBlobResponse.js';

export interface CollectorClient extends grpc.Client {
  /**
   * Which of these snapshot or blob digests the collector already holds.
   */
  HasDigests(argument: _snaptrail_v1_HasDigestsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_HasDigestsResponse__Output>): grpc.ClientUnaryCall;
  HasDigests(argument: _snaptrail_v1_HasDigestsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_HasDigestsResponse__Output>): grpc.ClientUnaryCall;
  HasDigests(argument: _snaptrail_v1_HasDigestsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_HasDigestsResponse__Output>): grpc.ClientUnaryCall;
  HasDigests(argument: _snaptrail_v1_HasDigestsRequest, callback: grpc.requestCallback<_snaptrail_v1_HasDigestsResponse__Output>): grpc.ClientUnaryCall;
  /**
   * Which of these snapshot or blob digests the collector already holds.
   */
  hasDigests(argument: _snaptrail_v1_HasDigestsRequest, metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_HasDigestsResponse__Output>): grpc.ClientUnaryCall;
  hasDigests(argument: _snaptrail_v1_HasDigestsRequest, metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_HasDigestsResponse__Output>): grpc.ClientUnaryCall;
  hasDigests(argument: _snaptrail_v1_HasDigestsRequest, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_HasDigestsResponse__Output>): grpc.ClientUnaryCall;
  hasDigests(argument: _snaptrail_v1_HasDigestsRequest, callback: grpc.requestCallback<_snaptrail_v1_HasDigestsResponse__Output>): grpc.ClientUnaryCall;
  
  /**
   * Events flow in; each is acknowledged only once it is durably stored.
   */
  Publish(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_snaptrail_v1_PublishRequest, _snaptrail_v1_PublishAck__Output>;
  Publish(options?: grpc.CallOptions): grpc.ClientDuplexStream<_snaptrail_v1_PublishRequest, _snaptrail_v1_PublishAck__Output>;
  /**
   * Events flow in; each is acknowledged only once it is durably stored.
   */
  publish(metadata: grpc.Metadata, options?: grpc.CallOptions): grpc.ClientDuplexStream<_snaptrail_v1_PublishRequest, _snaptrail_v1_PublishAck__Output>;
  publish(options?: grpc.CallOptions): grpc.ClientDuplexStream<_snaptrail_v1_PublishRequest, _snaptrail_v1_PublishAck__Output>;
  
  /**
   * A content-addressed blob (a code archive), in chunks; the first names digest and size.
   */
  PutBlob(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_PutBlobResponse__Output>): grpc.ClientWritableStream<_snaptrail_v1_BlobChunk>;
  PutBlob(metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_PutBlobResponse__Output>): grpc.ClientWritableStream<_snaptrail_v1_BlobChunk>;
  PutBlob(options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_PutBlobResponse__Output>): grpc.ClientWritableStream<_snaptrail_v1_BlobChunk>;
  PutBlob(callback: grpc.requestCallback<_snaptrail_v1_PutBlobResponse__Output>): grpc.ClientWritableStream<_snaptrail_v1_BlobChunk>;
  /**
   * A content-addressed blob (a code archive), in chunks; the first names digest and size.
   */
  putBlob(metadata: grpc.Metadata, options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_PutBlobResponse__Output>): grpc.ClientWritableStream<_snaptrail_v1_BlobChunk>;
  putBlob(metadata: grpc.Metadata, callback: grpc.requestCallback<_snaptrail_v1_PutBlobResponse__Output>): grpc.ClientWritableStream<_snaptrail_v1_BlobChunk>;
  putBlob(options: grpc.CallOptions, callback: grpc.requestCallback<_snaptrail_v1_PutBlobResponse__Output>): grpc.ClientWritableStream<_snaptrail_v1_BlobChunk>;
  putBlob(callback: grpc.requestCallback<_snaptrail_v1_PutBlobResponse__Output>): grpc.ClientWritableStream<_snaptrail_v1_BlobChunk>;
  
}

export interface CollectorHandlers extends grpc.UntypedServiceImplementation {
  /**
   * Which of these snapshot or blob digests the collector already holds.
   */
  HasDigests: grpc.handleUnaryCall<_snaptrail_v1_HasDigestsRequest__Output, _snaptrail_v1_HasDigestsResponse>;
  
  /**
   * Events flow in; each is acknowledged only once it is durably stored.
   */
  Publish: grpc.handleBidiStreamingCall<_snaptrail_v1_PublishRequest__Output, _snaptrail_v1_PublishAck>;
  
  /**
   * A content-addressed blob (a code archive), in chunks; the first names digest and size.
   */
  PutBlob: grpc.handleClientStreamingCall<_snaptrail_v1_BlobChunk__Output, _snaptrail_v1_PutBlobResponse>;
  
}

export interface CollectorDefinition extends grpc.ServiceDefinition {
  HasDigests: MethodDefinition<_snaptrail_v1_HasDigestsRequest, _snaptrail_v1_HasDigestsResponse, _snaptrail_v1_HasDigestsRequest__Output, _snaptrail_v1_HasDigestsResponse__Output>
  Publish: MethodDefinition<_snaptrail_v1_PublishRequest, _snaptrail_v1_PublishAck, _snaptrail_v1_PublishRequest__Output, _snaptrail_v1_PublishAck__Output>
  PutBlob: MethodDefinition<_snaptrail_v1_BlobChunk, _snaptrail_v1_PutBlobResponse, _snaptrail_v1_BlobChunk__Output, _snaptrail_v1_PutBlobResponse__Output>
}
