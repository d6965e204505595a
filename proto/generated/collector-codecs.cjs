/*eslint-disable block-scoped-var, id-length, no-control-regex, no-magic-numbers, no-prototype-builtins, no-redeclare, no-shadow, no-var, sort-vars*/
"use strict";

var $protobuf = require("protobufjs/minimal");

var $Reader = $protobuf.Reader, $Writer = $protobuf.Writer, $util = $protobuf.util;

var $root = $protobuf.roots["snaptrail-collector"] || ($protobuf.roots["snaptrail-collector"] = {});

$root.snaptrail = (function() {

    var snaptrail = {};

    snaptrail.v1 = (function() {

        var v1 = {};

        v1.PublishRequest = (function() {

            function PublishRequest(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            PublishRequest.prototype.event = null;

            PublishRequest.create = function create(properties) {
                return new PublishRequest(properties);
            };

            PublishRequest.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.event != null && Object.hasOwnProperty.call(m, "event"))
                    $root.snaptrail.v1.Event.encode(m.event, w.uint32(10).fork(), q + 1).ldelim();
                return w;
            };

            PublishRequest.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.PublishRequest();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.event = $root.snaptrail.v1.Event.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            PublishRequest.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.PublishRequest)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.PublishRequest: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.PublishRequest();
                if (d.event != null) {
                    if (!$util.isObject(d.event))
                        throw TypeError(".snaptrail.v1.PublishRequest.event: object expected");
                    m.event = $root.snaptrail.v1.Event.fromObject(d.event, n + 1);
                }
                return m;
            };

            PublishRequest.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.event = null;
                }
                if (m.event != null && Object.hasOwnProperty.call(m, "event")) {
                    d.event = $root.snaptrail.v1.Event.toObject(m.event, o, q + 1);
                }
                return d;
            };

            PublishRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return PublishRequest;
        })();

        v1.PublishAck = (function() {

            function PublishAck(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            PublishAck.prototype.eventId = "";
            PublishAck.prototype.outcome = 0;
            PublishAck.prototype.error = "";

            PublishAck.create = function create(properties) {
                return new PublishAck(properties);
            };

            PublishAck.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.eventId != null && Object.hasOwnProperty.call(m, "eventId"))
                    w.uint32(10).string(m.eventId);
                if (m.outcome != null && Object.hasOwnProperty.call(m, "outcome"))
                    w.uint32(16).int32(m.outcome);
                if (m.error != null && Object.hasOwnProperty.call(m, "error"))
                    w.uint32(26).string(m.error);
                return w;
            };

            PublishAck.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.PublishAck();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.eventId = r.string();
                            break;
                        }
                    case 2: {
                            m.outcome = r.int32();
                            break;
                        }
                    case 3: {
                            m.error = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            PublishAck.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.PublishAck)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.PublishAck: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.PublishAck();
                if (d.eventId != null) {
                    m.eventId = String(d.eventId);
                }
                switch (d.outcome) {
                default:
                    if (typeof d.outcome === "number") {
                        m.outcome = d.outcome;
                        break;
                    }
                    break;
                case "OUTCOME_UNSPECIFIED":
                case 0:
                    m.outcome = 0;
                    break;
                case "STORED":
                case 1:
                    m.outcome = 1;
                    break;
                case "DUPLICATE":
                case 2:
                    m.outcome = 2;
                    break;
                case "REJECTED":
                case 3:
                    m.outcome = 3;
                    break;
                }
                if (d.error != null) {
                    m.error = String(d.error);
                }
                return m;
            };

            PublishAck.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.eventId = "";
                    d.outcome = o.enums === String ? "OUTCOME_UNSPECIFIED" : 0;
                    d.error = "";
                }
                if (m.eventId != null && Object.hasOwnProperty.call(m, "eventId")) {
                    d.eventId = m.eventId;
                }
                if (m.outcome != null && Object.hasOwnProperty.call(m, "outcome")) {
                    d.outcome = o.enums === String ? $root.snaptrail.v1.PublishAck.Outcome[m.outcome] === undefined ? m.outcome : $root.snaptrail.v1.PublishAck.Outcome[m.outcome] : m.outcome;
                }
                if (m.error != null && Object.hasOwnProperty.call(m, "error")) {
                    d.error = m.error;
                }
                return d;
            };

            PublishAck.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            PublishAck.Outcome = (function() {
                var valuesById = {}, values = Object.create(valuesById);
                values[valuesById[0] = "OUTCOME_UNSPECIFIED"] = 0;
                values[valuesById[1] = "STORED"] = 1;
                values[valuesById[2] = "DUPLICATE"] = 2;
                values[valuesById[3] = "REJECTED"] = 3;
                return values;
            })();

            return PublishAck;
        })();

        v1.HasDigestsRequest = (function() {

            function HasDigestsRequest(p) {
                this.digests = [];
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            HasDigestsRequest.prototype.digests = $util.emptyArray;

            HasDigestsRequest.create = function create(properties) {
                return new HasDigestsRequest(properties);
            };

            HasDigestsRequest.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.digests != null && m.digests.length) {
                    for (var i = 0; i < m.digests.length; ++i)
                        w.uint32(10).string(m.digests[i]);
                }
                return w;
            };

            HasDigestsRequest.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.HasDigestsRequest();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            if (!(m.digests && m.digests.length))
                                m.digests = [];
                            m.digests.push(r.string());
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            HasDigestsRequest.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.HasDigestsRequest)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.HasDigestsRequest: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.HasDigestsRequest();
                if (d.digests) {
                    if (!Array.isArray(d.digests))
                        throw TypeError(".snaptrail.v1.HasDigestsRequest.digests: array expected");
                    m.digests = [];
                    for (var i = 0; i < d.digests.length; ++i) {
                        m.digests[i] = String(d.digests[i]);
                    }
                }
                return m;
            };

            HasDigestsRequest.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.digests = [];
                }
                if (m.digests && m.digests.length) {
                    d.digests = [];
                    for (var j = 0; j < m.digests.length; ++j) {
                        d.digests[j] = m.digests[j];
                    }
                }
                return d;
            };

            HasDigestsRequest.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return HasDigestsRequest;
        })();

        v1.HasDigestsResponse = (function() {

            function HasDigestsResponse(p) {
                this.present = [];
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            HasDigestsResponse.prototype.present = $util.emptyArray;

            HasDigestsResponse.create = function create(properties) {
                return new HasDigestsResponse(properties);
            };

            HasDigestsResponse.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.present != null && m.present.length) {
                    for (var i = 0; i < m.present.length; ++i)
                        w.uint32(10).string(m.present[i]);
                }
                return w;
            };

            HasDigestsResponse.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.HasDigestsResponse();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            if (!(m.present && m.present.length))
                                m.present = [];
                            m.present.push(r.string());
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            HasDigestsResponse.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.HasDigestsResponse)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.HasDigestsResponse: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.HasDigestsResponse();
                if (d.present) {
                    if (!Array.isArray(d.present))
                        throw TypeError(".snaptrail.v1.HasDigestsResponse.present: array expected");
                    m.present = [];
                    for (var i = 0; i < d.present.length; ++i) {
                        m.present[i] = String(d.present[i]);
                    }
                }
                return m;
            };

            HasDigestsResponse.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.present = [];
                }
                if (m.present && m.present.length) {
                    d.present = [];
                    for (var j = 0; j < m.present.length; ++j) {
                        d.present[j] = m.present[j];
                    }
                }
                return d;
            };

            HasDigestsResponse.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return HasDigestsResponse;
        })();

        v1.BlobChunk = (function() {

            function BlobChunk(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            BlobChunk.prototype.digest = "";
            BlobChunk.prototype.totalBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            BlobChunk.prototype.data = $util.newBuffer([]);

            BlobChunk.create = function create(properties) {
                return new BlobChunk(properties);
            };

            BlobChunk.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.digest != null && Object.hasOwnProperty.call(m, "digest"))
                    w.uint32(10).string(m.digest);
                if (m.totalBytes != null && Object.hasOwnProperty.call(m, "totalBytes"))
                    w.uint32(16).uint64(m.totalBytes);
                if (m.data != null && Object.hasOwnProperty.call(m, "data"))
                    w.uint32(26).bytes(m.data);
                return w;
            };

            BlobChunk.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.BlobChunk();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.digest = r.string();
                            break;
                        }
                    case 2: {
                            m.totalBytes = r.uint64();
                            break;
                        }
                    case 3: {
                            m.data = r.bytes();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            BlobChunk.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.BlobChunk)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.BlobChunk: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.BlobChunk();
                if (d.digest != null) {
                    m.digest = String(d.digest);
                }
                if (d.totalBytes != null) {
                    if ($util.Long)
                        m.totalBytes = $util.Long.fromValue(d.totalBytes, true);
                    else if (typeof d.totalBytes === "string")
                        m.totalBytes = parseInt(d.totalBytes, 10);
                    else if (typeof d.totalBytes === "number")
                        m.totalBytes = d.totalBytes;
                    else if (typeof d.totalBytes === "object")
                        m.totalBytes = new $util.LongBits(d.totalBytes.low >>> 0, d.totalBytes.high >>> 0).toNumber(true);
                }
                if (d.data != null) {
                    if (typeof d.data === "string")
                        $util.base64.decode(d.data, m.data = $util.newBuffer($util.base64.length(d.data)), 0);
                    else if (d.data.length >= 0)
                        m.data = d.data;
                }
                return m;
            };

            BlobChunk.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.digest = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.totalBytes = o.longs === String ? n.toString() : o.longs === Number ? n.toNumber() : typeof BigInt !== "undefined" && o.longs === BigInt ? n.toBigInt() : n;
                    } else
                        d.totalBytes = o.longs === String ? "0" : typeof BigInt !== "undefined" && o.longs === BigInt ? BigInt("0") : 0;
                    if (o.bytes === String)
                        d.data = "";
                    else {
                        d.data = [];
                        if (o.bytes !== Array)
                            d.data = $util.newBuffer(d.data);
                    }
                }
                if (m.digest != null && Object.hasOwnProperty.call(m, "digest")) {
                    d.digest = m.digest;
                }
                if (m.totalBytes != null && Object.hasOwnProperty.call(m, "totalBytes")) {
                    if (typeof BigInt !== "undefined" && o.longs === BigInt)
                        d.totalBytes = typeof m.totalBytes === "number" ? BigInt(m.totalBytes) : $util.Long.fromBits(m.totalBytes.low >>> 0, m.totalBytes.high >>> 0, true).toBigInt();
                    else if (typeof m.totalBytes === "number")
                        d.totalBytes = o.longs === String ? String(m.totalBytes) : m.totalBytes;
                    else
                        d.totalBytes = o.longs === String ? $util.Long.prototype.toString.call(m.totalBytes) : o.longs === Number ? new $util.LongBits(m.totalBytes.low >>> 0, m.totalBytes.high >>> 0).toNumber(true) : m.totalBytes;
                }
                if (m.data != null && Object.hasOwnProperty.call(m, "data")) {
                    d.data = o.bytes === String ? $util.base64.encode(m.data, 0, m.data.length) : o.bytes === Array ? Array.prototype.slice.call(m.data) : m.data;
                }
                return d;
            };

            BlobChunk.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return BlobChunk;
        })();

        v1.PutBlobResponse = (function() {

            function PutBlobResponse(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            PutBlobResponse.prototype.digest = "";
            PutBlobResponse.prototype.bytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            PutBlobResponse.prototype.alreadyPresent = false;

            PutBlobResponse.create = function create(properties) {
                return new PutBlobResponse(properties);
            };

            PutBlobResponse.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.digest != null && Object.hasOwnProperty.call(m, "digest"))
                    w.uint32(10).string(m.digest);
                if (m.bytes != null && Object.hasOwnProperty.call(m, "bytes"))
                    w.uint32(16).uint64(m.bytes);
                if (m.alreadyPresent != null && Object.hasOwnProperty.call(m, "alreadyPresent"))
                    w.uint32(24).bool(m.alreadyPresent);
                return w;
            };

            PutBlobResponse.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.PutBlobResponse();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.digest = r.string();
                            break;
                        }
                    case 2: {
                            m.bytes = r.uint64();
                            break;
                        }
                    case 3: {
                            m.alreadyPresent = r.bool();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            PutBlobResponse.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.PutBlobResponse)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.PutBlobResponse: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.PutBlobResponse();
                if (d.digest != null) {
                    m.digest = String(d.digest);
                }
                if (d.bytes != null) {
                    if ($util.Long)
                        m.bytes = $util.Long.fromValue(d.bytes, true);
                    else if (typeof d.bytes === "string")
                        m.bytes = parseInt(d.bytes, 10);
                    else if (typeof d.bytes === "number")
                        m.bytes = d.bytes;
                    else if (typeof d.bytes === "object")
                        m.bytes = new $util.LongBits(d.bytes.low >>> 0, d.bytes.high >>> 0).toNumber(true);
                }
                if (d.alreadyPresent != null) {
                    m.alreadyPresent = Boolean(d.alreadyPresent);
                }
                return m;
            };

            PutBlobResponse.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.digest = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.bytes = o.longs === String ? n.toString() : o.longs === Number ? n.toNumber() : typeof BigInt !== "undefined" && o.longs === BigInt ? n.toBigInt() : n;
                    } else
                        d.bytes = o.longs === String ? "0" : typeof BigInt !== "undefined" && o.longs === BigInt ? BigInt("0") : 0;
                    d.alreadyPresent = false;
                }
                if (m.digest != null && Object.hasOwnProperty.call(m, "digest")) {
                    d.digest = m.digest;
                }
                if (m.bytes != null && Object.hasOwnProperty.call(m, "bytes")) {
                    if (typeof BigInt !== "undefined" && o.longs === BigInt)
                        d.bytes = typeof m.bytes === "number" ? BigInt(m.bytes) : $util.Long.fromBits(m.bytes.low >>> 0, m.bytes.high >>> 0, true).toBigInt();
                    else if (typeof m.bytes === "number")
                        d.bytes = o.longs === String ? String(m.bytes) : m.bytes;
                    else
                        d.bytes = o.longs === String ? $util.Long.prototype.toString.call(m.bytes) : o.longs === Number ? new $util.LongBits(m.bytes.low >>> 0, m.bytes.high >>> 0).toNumber(true) : m.bytes;
                }
                if (m.alreadyPresent != null && Object.hasOwnProperty.call(m, "alreadyPresent")) {
                    d.alreadyPresent = m.alreadyPresent;
                }
                return d;
            };

            PutBlobResponse.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return PutBlobResponse;
        })();

        v1.OrchestratorContext = (function() {

            function OrchestratorContext(p) {
                this.attributes = {};
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            OrchestratorContext.prototype.kind = 0;
            OrchestratorContext.prototype.pipeline = "";
            OrchestratorContext.prototype.pipelineRun = "";
            OrchestratorContext.prototype.step = "";
            OrchestratorContext.prototype.attempt = 0;
            OrchestratorContext.prototype.attributes = $util.emptyObject;

            OrchestratorContext.create = function create(properties) {
                return new OrchestratorContext(properties);
            };

            OrchestratorContext.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.kind != null && Object.hasOwnProperty.call(m, "kind"))
                    w.uint32(8).int32(m.kind);
                if (m.pipeline != null && Object.hasOwnProperty.call(m, "pipeline"))
                    w.uint32(18).string(m.pipeline);
                if (m.pipelineRun != null && Object.hasOwnProperty.call(m, "pipelineRun"))
                    w.uint32(26).string(m.pipelineRun);
                if (m.step != null && Object.hasOwnProperty.call(m, "step"))
                    w.uint32(34).string(m.step);
                if (m.attempt != null && Object.hasOwnProperty.call(m, "attempt"))
                    w.uint32(40).uint32(m.attempt);
                if (m.attributes != null && Object.hasOwnProperty.call(m, "attributes")) {
                    for (var ks = Object.keys(m.attributes), i = 0; i < ks.length; ++i) {
                        w.uint32(50).fork().uint32(10).string(ks[i]).uint32(18).string(m.attributes[ks[i]]).ldelim();
                    }
                }
                return w;
            };

            OrchestratorContext.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m, k, value;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.OrchestratorContext();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.kind = r.int32();
                            break;
                        }
                    case 2: {
                            m.pipeline = r.string();
                            break;
                        }
                    case 3: {
                            m.pipelineRun = r.string();
                            break;
                        }
                    case 4: {
                            m.step = r.string();
                            break;
                        }
                    case 5: {
                            m.attempt = r.uint32();
                            break;
                        }
                    case 6: {
                            if (m.attributes === $util.emptyObject)
                                m.attributes = {};
                            var c2 = r.uint32() + r.pos;
                            if (c2 > r.len)
                                throw RangeError("index out of range");
                            r.len = c2;
                            k = "";
                            value = "";
                            while (r.pos < c2) {
                                var tag2 = r.uint32();
                                switch (tag2 >>> 3) {
                                case 1:
                                    k = r.string();
                                    break;
                                case 2:
                                    value = r.string();
                                    break;
                                default:
                                    r.skipType(tag2 & 7, n);
                                    break;
                                }
                            }
                            if (r.pos !== c2)
                                throw RangeError("index out of range");
                            r.len = c;
                            if (k === "__proto__")
                                $util.makeProp(m.attributes, k);
                            m.attributes[k] = value;
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            OrchestratorContext.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.OrchestratorContext)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.OrchestratorContext: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.OrchestratorContext();
                switch (d.kind) {
                default:
                    if (typeof d.kind === "number") {
                        m.kind = d.kind;
                        break;
                    }
                    break;
                case "KIND_UNSPECIFIED":
                case 0:
                    m.kind = 0;
                    break;
                case "LOCAL":
                case 1:
                    m.kind = 1;
                    break;
                case "AIRFLOW":
                case 2:
                    m.kind = 2;
                    break;
                case "KUBEFLOW":
                case 3:
                    m.kind = 3;
                    break;
                case "SLURM":
                case 4:
                    m.kind = 4;
                    break;
                }
                if (d.pipeline != null) {
                    m.pipeline = String(d.pipeline);
                }
                if (d.pipelineRun != null) {
                    m.pipelineRun = String(d.pipelineRun);
                }
                if (d.step != null) {
                    m.step = String(d.step);
                }
                if (d.attempt != null) {
                    m.attempt = d.attempt >>> 0;
                }
                if (d.attributes) {
                    if (!$util.isObject(d.attributes))
                        throw TypeError(".snaptrail.v1.OrchestratorContext.attributes: object expected");
                    m.attributes = {};
                    for (var ks = Object.keys(d.attributes), i = 0; i < ks.length; ++i) {
                        if (ks[i] === "__proto__")
                            $util.makeProp(m.attributes, ks[i]);
                        m.attributes[ks[i]] = String(d.attributes[ks[i]]);
                    }
                }
                return m;
            };

            OrchestratorContext.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.objects || o.defaults) {
                    d.attributes = {};
                }
                if (o.defaults) {
                    d.kind = o.enums === String ? "KIND_UNSPECIFIED" : 0;
                    d.pipeline = "";
                    d.pipelineRun = "";
                    d.step = "";
                    d.attempt = 0;
                }
                if (m.kind != null && Object.hasOwnProperty.call(m, "kind")) {
                    d.kind = o.enums === String ? $root.snaptrail.v1.OrchestratorContext.Kind[m.kind] === undefined ? m.kind : $root.snaptrail.v1.OrchestratorContext.Kind[m.kind] : m.kind;
                }
                if (m.pipeline != null && Object.hasOwnProperty.call(m, "pipeline")) {
                    d.pipeline = m.pipeline;
                }
                if (m.pipelineRun != null && Object.hasOwnProperty.call(m, "pipelineRun")) {
                    d.pipelineRun = m.pipelineRun;
                }
                if (m.step != null && Object.hasOwnProperty.call(m, "step")) {
                    d.step = m.step;
                }
                if (m.attempt != null && Object.hasOwnProperty.call(m, "attempt")) {
                    d.attempt = m.attempt;
                }
                var ks2;
                if (m.attributes && (ks2 = Object.keys(m.attributes)).length) {
                    d.attributes = {};
                    for (var j = 0; j < ks2.length; ++j) {
                        if (ks2[j] === "__proto__")
                            $util.makeProp(d.attributes, ks2[j]);
                        d.attributes[ks2[j]] = m.attributes[ks2[j]];
                    }
                }
                return d;
            };

            OrchestratorContext.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            OrchestratorContext.Kind = (function() {
                var valuesById = {}, values = Object.create(valuesById);
                values[valuesById[0] = "KIND_UNSPECIFIED"] = 0;
                values[valuesById[1] = "LOCAL"] = 1;
                values[valuesById[2] = "AIRFLOW"] = 2;
                values[valuesById[3] = "KUBEFLOW"] = 3;
                values[valuesById[4] = "SLURM"] = 4;
                return values;
            })();

            return OrchestratorContext;
        })();

        v1.RunConfig = (function() {

            function RunConfig(p) {
                this.argv = [];
                this.parameters = {};
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            RunConfig.prototype.argv = $util.emptyArray;
            RunConfig.prototype.cwd = "";
            RunConfig.prototype.parameters = $util.emptyObject;
            RunConfig.prototype.script = "";

            RunConfig.create = function create(properties) {
                return new RunConfig(properties);
            };

            RunConfig.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.argv != null && m.argv.length) {
                    for (var i = 0; i < m.argv.length; ++i)
                        w.uint32(10).string(m.argv[i]);
                }
                if (m.cwd != null && Object.hasOwnProperty.call(m, "cwd"))
                    w.uint32(18).string(m.cwd);
                if (m.parameters != null && Object.hasOwnProperty.call(m, "parameters")) {
                    for (var ks = Object.keys(m.parameters), i = 0; i < ks.length; ++i) {
                        w.uint32(26).fork().uint32(10).string(ks[i]).uint32(18).string(m.parameters[ks[i]]).ldelim();
                    }
                }
                if (m.script != null && Object.hasOwnProperty.call(m, "script"))
                    w.uint32(34).string(m.script);
                return w;
            };

            RunConfig.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m, k, value;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.RunConfig();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            if (!(m.argv && m.argv.length))
                                m.argv = [];
                            m.argv.push(r.string());
                            break;
                        }
                    case 2: {
                            m.cwd = r.string();
                            break;
                        }
                    case 3: {
                            if (m.parameters === $util.emptyObject)
                                m.parameters = {};
                            var c2 = r.uint32() + r.pos;
                            if (c2 > r.len)
                                throw RangeError("index out of range");
                            r.len = c2;
                            k = "";
                            value = "";
                            while (r.pos < c2) {
                                var tag2 = r.uint32();
                                switch (tag2 >>> 3) {
                                case 1:
                                    k = r.string();
                                    break;
                                case 2:
                                    value = r.string();
                                    break;
                                default:
                                    r.skipType(tag2 & 7, n);
                                    break;
                                }
                            }
                            if (r.pos !== c2)
                                throw RangeError("index out of range");
                            r.len = c;
                            if (k === "__proto__")
                                $util.makeProp(m.parameters, k);
                            m.parameters[k] = value;
                            break;
                        }
                    case 4: {
                            m.script = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            RunConfig.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.RunConfig)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.RunConfig: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.RunConfig();
                if (d.argv) {
                    if (!Array.isArray(d.argv))
                        throw TypeError(".snaptrail.v1.RunConfig.argv: array expected");
                    m.argv = [];
                    for (var i = 0; i < d.argv.length; ++i) {
                        m.argv[i] = String(d.argv[i]);
                    }
                }
                if (d.cwd != null) {
                    m.cwd = String(d.cwd);
                }
                if (d.parameters) {
                    if (!$util.isObject(d.parameters))
                        throw TypeError(".snaptrail.v1.RunConfig.parameters: object expected");
                    m.parameters = {};
                    for (var ks = Object.keys(d.parameters), i = 0; i < ks.length; ++i) {
                        if (ks[i] === "__proto__")
                            $util.makeProp(m.parameters, ks[i]);
                        m.parameters[ks[i]] = String(d.parameters[ks[i]]);
                    }
                }
                if (d.script != null) {
                    m.script = String(d.script);
                }
                return m;
            };

            RunConfig.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.argv = [];
                }
                if (o.objects || o.defaults) {
                    d.parameters = {};
                }
                if (o.defaults) {
                    d.cwd = "";
                    d.script = "";
                }
                if (m.argv && m.argv.length) {
                    d.argv = [];
                    for (var j = 0; j < m.argv.length; ++j) {
                        d.argv[j] = m.argv[j];
                    }
                }
                if (m.cwd != null && Object.hasOwnProperty.call(m, "cwd")) {
                    d.cwd = m.cwd;
                }
                var ks2;
                if (m.parameters && (ks2 = Object.keys(m.parameters)).length) {
                    d.parameters = {};
                    for (var j = 0; j < ks2.length; ++j) {
                        if (ks2[j] === "__proto__")
                            $util.makeProp(d.parameters, ks2[j]);
                        d.parameters[ks2[j]] = m.parameters[ks2[j]];
                    }
                }
                if (m.script != null && Object.hasOwnProperty.call(m, "script")) {
                    d.script = m.script;
                }
                return d;
            };

            RunConfig.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return RunConfig;
        })();

        v1.RunStarted = (function() {

            function RunStarted(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            RunStarted.prototype.orchestrator = null;
            RunStarted.prototype.config = null;
            RunStarted.prototype.hostname = "";
            RunStarted.prototype.agentVersion = "";
            RunStarted.prototype.rollbackOf = "";
            RunStarted.prototype.cacheKey = "";
            RunStarted.prototype.cachedFrom = "";
            RunStarted.prototype.parentRunId = "";

            RunStarted.create = function create(properties) {
                return new RunStarted(properties);
            };

            RunStarted.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.orchestrator != null && Object.hasOwnProperty.call(m, "orchestrator"))
                    $root.snaptrail.v1.OrchestratorContext.encode(m.orchestrator, w.uint32(10).fork(), q + 1).ldelim();
                if (m.config != null && Object.hasOwnProperty.call(m, "config"))
                    $root.snaptrail.v1.RunConfig.encode(m.config, w.uint32(18).fork(), q + 1).ldelim();
                if (m.hostname != null && Object.hasOwnProperty.call(m, "hostname"))
                    w.uint32(26).string(m.hostname);
                if (m.agentVersion != null && Object.hasOwnProperty.call(m, "agentVersion"))
                    w.uint32(34).string(m.agentVersion);
                if (m.rollbackOf != null && Object.hasOwnProperty.call(m, "rollbackOf"))
                    w.uint32(42).string(m.rollbackOf);
                if (m.cacheKey != null && Object.hasOwnProperty.call(m, "cacheKey"))
                    w.uint32(50).string(m.cacheKey);
                if (m.cachedFrom != null && Object.hasOwnProperty.call(m, "cachedFrom"))
                    w.uint32(58).string(m.cachedFrom);
                if (m.parentRunId != null && Object.hasOwnProperty.call(m, "parentRunId"))
                    w.uint32(66).string(m.parentRunId);
                return w;
            };

            RunStarted.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.RunStarted();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.orchestrator = $root.snaptrail.v1.OrchestratorContext.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 2: {
                            m.config = $root.snaptrail.v1.RunConfig.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 3: {
                            m.hostname = r.string();
                            break;
                        }
                    case 4: {
                            m.agentVersion = r.string();
                            break;
                        }
                    case 5: {
                            m.rollbackOf = r.string();
                            break;
                        }
                    case 6: {
                            m.cacheKey = r.string();
                            break;
                        }
                    case 7: {
                            m.cachedFrom = r.string();
                            break;
                        }
                    case 8: {
                            m.parentRunId = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            RunStarted.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.RunStarted)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.RunStarted: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.RunStarted();
                if (d.orchestrator != null) {
                    if (!$util.isObject(d.orchestrator))
                        throw TypeError(".snaptrail.v1.RunStarted.orchestrator: object expected");
                    m.orchestrator = $root.snaptrail.v1.OrchestratorContext.fromObject(d.orchestrator, n + 1);
                }
                if (d.config != null) {
                    if (!$util.isObject(d.config))
                        throw TypeError(".snaptrail.v1.RunStarted.config: object expected");
                    m.config = $root.snaptrail.v1.RunConfig.fromObject(d.config, n + 1);
                }
                if (d.hostname != null) {
                    m.hostname = String(d.hostname);
                }
                if (d.agentVersion != null) {
                    m.agentVersion = String(d.agentVersion);
                }
                if (d.rollbackOf != null) {
                    m.rollbackOf = String(d.rollbackOf);
                }
                if (d.cacheKey != null) {
                    m.cacheKey = String(d.cacheKey);
                }
                if (d.cachedFrom != null) {
                    m.cachedFrom = String(d.cachedFrom);
                }
                if (d.parentRunId != null) {
                    m.parentRunId = String(d.parentRunId);
                }
                return m;
            };

            RunStarted.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.orchestrator = null;
                    d.config = null;
                    d.hostname = "";
                    d.agentVersion = "";
                    d.rollbackOf = "";
                    d.cacheKey = "";
                    d.cachedFrom = "";
                    d.parentRunId = "";
                }
                if (m.orchestrator != null && Object.hasOwnProperty.call(m, "orchestrator")) {
                    d.orchestrator = $root.snaptrail.v1.OrchestratorContext.toObject(m.orchestrator, o, q + 1);
                }
                if (m.config != null && Object.hasOwnProperty.call(m, "config")) {
                    d.config = $root.snaptrail.v1.RunConfig.toObject(m.config, o, q + 1);
                }
                if (m.hostname != null && Object.hasOwnProperty.call(m, "hostname")) {
                    d.hostname = m.hostname;
                }
                if (m.agentVersion != null && Object.hasOwnProperty.call(m, "agentVersion")) {
                    d.agentVersion = m.agentVersion;
                }
                if (m.rollbackOf != null && Object.hasOwnProperty.call(m, "rollbackOf")) {
                    d.rollbackOf = m.rollbackOf;
                }
                if (m.cacheKey != null && Object.hasOwnProperty.call(m, "cacheKey")) {
                    d.cacheKey = m.cacheKey;
                }
                if (m.cachedFrom != null && Object.hasOwnProperty.call(m, "cachedFrom")) {
                    d.cachedFrom = m.cachedFrom;
                }
                if (m.parentRunId != null && Object.hasOwnProperty.call(m, "parentRunId")) {
                    d.parentRunId = m.parentRunId;
                }
                return d;
            };

            RunStarted.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return RunStarted;
        })();

        v1.CaptureWarning = (function() {

            function CaptureWarning(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            CaptureWarning.prototype.source = "";
            CaptureWarning.prototype.message = "";

            CaptureWarning.create = function create(properties) {
                return new CaptureWarning(properties);
            };

            CaptureWarning.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.source != null && Object.hasOwnProperty.call(m, "source"))
                    w.uint32(10).string(m.source);
                if (m.message != null && Object.hasOwnProperty.call(m, "message"))
                    w.uint32(18).string(m.message);
                return w;
            };

            CaptureWarning.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.CaptureWarning();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.source = r.string();
                            break;
                        }
                    case 2: {
                            m.message = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            CaptureWarning.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.CaptureWarning)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.CaptureWarning: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.CaptureWarning();
                if (d.source != null) {
                    m.source = String(d.source);
                }
                if (d.message != null) {
                    m.message = String(d.message);
                }
                return m;
            };

            CaptureWarning.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.source = "";
                    d.message = "";
                }
                if (m.source != null && Object.hasOwnProperty.call(m, "source")) {
                    d.source = m.source;
                }
                if (m.message != null && Object.hasOwnProperty.call(m, "message")) {
                    d.message = m.message;
                }
                return d;
            };

            CaptureWarning.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return CaptureWarning;
        })();

        v1.SnapshotCaptured = (function() {

            function SnapshotCaptured(p) {
                this.warnings = [];
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            SnapshotCaptured.prototype.environmentDigest = "";
            SnapshotCaptured.prototype.environment = null;
            SnapshotCaptured.prototype.hostDigest = "";
            SnapshotCaptured.prototype.host = null;
            SnapshotCaptured.prototype.codeDigest = "";
            SnapshotCaptured.prototype.code = null;
            SnapshotCaptured.prototype.warnings = $util.emptyArray;
            SnapshotCaptured.prototype.captureMs = 0;

            SnapshotCaptured.create = function create(properties) {
                return new SnapshotCaptured(properties);
            };

            SnapshotCaptured.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.environmentDigest != null && Object.hasOwnProperty.call(m, "environmentDigest"))
                    w.uint32(10).string(m.environmentDigest);
                if (m.environment != null && Object.hasOwnProperty.call(m, "environment"))
                    $root.snaptrail.v1.EnvironmentSnapshot.encode(m.environment, w.uint32(18).fork(), q + 1).ldelim();
                if (m.hostDigest != null && Object.hasOwnProperty.call(m, "hostDigest"))
                    w.uint32(26).string(m.hostDigest);
                if (m.host != null && Object.hasOwnProperty.call(m, "host"))
                    $root.snaptrail.v1.HostSnapshot.encode(m.host, w.uint32(34).fork(), q + 1).ldelim();
                if (m.codeDigest != null && Object.hasOwnProperty.call(m, "codeDigest"))
                    w.uint32(42).string(m.codeDigest);
                if (m.code != null && Object.hasOwnProperty.call(m, "code"))
                    $root.snaptrail.v1.CodeSnapshot.encode(m.code, w.uint32(50).fork(), q + 1).ldelim();
                if (m.warnings != null && m.warnings.length) {
                    for (var i = 0; i < m.warnings.length; ++i)
                        $root.snaptrail.v1.CaptureWarning.encode(m.warnings[i], w.uint32(58).fork(), q + 1).ldelim();
                }
                if (m.captureMs != null && Object.hasOwnProperty.call(m, "captureMs"))
                    w.uint32(64).uint32(m.captureMs);
                return w;
            };

            SnapshotCaptured.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.SnapshotCaptured();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.environmentDigest = r.string();
                            break;
                        }
                    case 2: {
                            m.environment = $root.snaptrail.v1.EnvironmentSnapshot.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 3: {
                            m.hostDigest = r.string();
                            break;
                        }
                    case 4: {
                            m.host = $root.snaptrail.v1.HostSnapshot.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 5: {
                            m.codeDigest = r.string();
                            break;
                        }
                    case 6: {
                            m.code = $root.snaptrail.v1.CodeSnapshot.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 7: {
                            if (!(m.warnings && m.warnings.length))
                                m.warnings = [];
                            m.warnings.push($root.snaptrail.v1.CaptureWarning.decode(r, r.uint32(), undefined, n + 1));
                            break;
                        }
                    case 8: {
                            m.captureMs = r.uint32();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            SnapshotCaptured.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.SnapshotCaptured)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.SnapshotCaptured: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.SnapshotCaptured();
                if (d.environmentDigest != null) {
                    m.environmentDigest = String(d.environmentDigest);
                }
                if (d.environment != null) {
                    if (!$util.isObject(d.environment))
                        throw TypeError(".snaptrail.v1.SnapshotCaptured.environment: object expected");
                    m.environment = $root.snaptrail.v1.EnvironmentSnapshot.fromObject(d.environment, n + 1);
                }
                if (d.hostDigest != null) {
                    m.hostDigest = String(d.hostDigest);
                }
                if (d.host != null) {
                    if (!$util.isObject(d.host))
                        throw TypeError(".snaptrail.v1.SnapshotCaptured.host: object expected");
                    m.host = $root.snaptrail.v1.HostSnapshot.fromObject(d.host, n + 1);
                }
                if (d.codeDigest != null) {
                    m.codeDigest = String(d.codeDigest);
                }
                if (d.code != null) {
                    if (!$util.isObject(d.code))
                        throw TypeError(".snaptrail.v1.SnapshotCaptured.code: object expected");
                    m.code = $root.snaptrail.v1.CodeSnapshot.fromObject(d.code, n + 1);
                }
                if (d.warnings) {
                    if (!Array.isArray(d.warnings))
                        throw TypeError(".snaptrail.v1.SnapshotCaptured.warnings: array expected");
                    m.warnings = [];
                    for (var i = 0; i < d.warnings.length; ++i) {
                        if (!$util.isObject(d.warnings[i]))
                            throw TypeError(".snaptrail.v1.SnapshotCaptured.warnings: object expected");
                        m.warnings[i] = $root.snaptrail.v1.CaptureWarning.fromObject(d.warnings[i], n + 1);
                    }
                }
                if (d.captureMs != null) {
                    m.captureMs = d.captureMs >>> 0;
                }
                return m;
            };

            SnapshotCaptured.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.warnings = [];
                }
                if (o.defaults) {
                    d.environmentDigest = "";
                    d.environment = null;
                    d.hostDigest = "";
                    d.host = null;
                    d.codeDigest = "";
                    d.code = null;
                    d.captureMs = 0;
                }
                if (m.environmentDigest != null && Object.hasOwnProperty.call(m, "environmentDigest")) {
                    d.environmentDigest = m.environmentDigest;
                }
                if (m.environment != null && Object.hasOwnProperty.call(m, "environment")) {
                    d.environment = $root.snaptrail.v1.EnvironmentSnapshot.toObject(m.environment, o, q + 1);
                }
                if (m.hostDigest != null && Object.hasOwnProperty.call(m, "hostDigest")) {
                    d.hostDigest = m.hostDigest;
                }
                if (m.host != null && Object.hasOwnProperty.call(m, "host")) {
                    d.host = $root.snaptrail.v1.HostSnapshot.toObject(m.host, o, q + 1);
                }
                if (m.codeDigest != null && Object.hasOwnProperty.call(m, "codeDigest")) {
                    d.codeDigest = m.codeDigest;
                }
                if (m.code != null && Object.hasOwnProperty.call(m, "code")) {
                    d.code = $root.snaptrail.v1.CodeSnapshot.toObject(m.code, o, q + 1);
                }
                if (m.warnings && m.warnings.length) {
                    d.warnings = [];
                    for (var j = 0; j < m.warnings.length; ++j) {
                        d.warnings[j] = $root.snaptrail.v1.CaptureWarning.toObject(m.warnings[j], o, q + 1);
                    }
                }
                if (m.captureMs != null && Object.hasOwnProperty.call(m, "captureMs")) {
                    d.captureMs = m.captureMs;
                }
                return d;
            };

            SnapshotCaptured.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return SnapshotCaptured;
        })();

        v1.OutputFile = (function() {

            function OutputFile(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            OutputFile.prototype.path = "";
            OutputFile.prototype.digest = "";
            OutputFile.prototype.size = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            OutputFile.prototype.mode = 0;
            OutputFile.prototype.stored = false;

            OutputFile.create = function create(properties) {
                return new OutputFile(properties);
            };

            OutputFile.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.path != null && Object.hasOwnProperty.call(m, "path"))
                    w.uint32(10).string(m.path);
                if (m.digest != null && Object.hasOwnProperty.call(m, "digest"))
                    w.uint32(18).string(m.digest);
                if (m.size != null && Object.hasOwnProperty.call(m, "size"))
                    w.uint32(24).uint64(m.size);
                if (m.mode != null && Object.hasOwnProperty.call(m, "mode"))
                    w.uint32(32).uint32(m.mode);
                if (m.stored != null && Object.hasOwnProperty.call(m, "stored"))
                    w.uint32(40).bool(m.stored);
                return w;
            };

            OutputFile.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.OutputFile();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.path = r.string();
                            break;
                        }
                    case 2: {
                            m.digest = r.string();
                            break;
                        }
                    case 3: {
                            m.size = r.uint64();
                            break;
                        }
                    case 4: {
                            m.mode = r.uint32();
                            break;
                        }
                    case 5: {
                            m.stored = r.bool();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            OutputFile.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.OutputFile)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.OutputFile: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.OutputFile();
                if (d.path != null) {
                    m.path = String(d.path);
                }
                if (d.digest != null) {
                    m.digest = String(d.digest);
                }
                if (d.size != null) {
                    if ($util.Long)
                        m.size = $util.Long.fromValue(d.size, true);
                    else if (typeof d.size === "string")
                        m.size = parseInt(d.size, 10);
                    else if (typeof d.size === "number")
                        m.size = d.size;
                    else if (typeof d.size === "object")
                        m.size = new $util.LongBits(d.size.low >>> 0, d.size.high >>> 0).toNumber(true);
                }
                if (d.mode != null) {
                    m.mode = d.mode >>> 0;
                }
                if (d.stored != null) {
                    m.stored = Boolean(d.stored);
                }
                return m;
            };

            OutputFile.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.path = "";
                    d.digest = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.size = o.longs === String ? n.toString() : o.longs === Number ? n.toNumber() : typeof BigInt !== "undefined" && o.longs === BigInt ? n.toBigInt() : n;
                    } else
                        d.size = o.longs === String ? "0" : typeof BigInt !== "undefined" && o.longs === BigInt ? BigInt("0") : 0;
                    d.mode = 0;
                    d.stored = false;
                }
                if (m.path != null && Object.hasOwnProperty.call(m, "path")) {
                    d.path = m.path;
                }
                if (m.digest != null && Object.hasOwnProperty.call(m, "digest")) {
                    d.digest = m.digest;
                }
                if (m.size != null && Object.hasOwnProperty.call(m, "size")) {
                    if (typeof BigInt !== "undefined" && o.longs === BigInt)
                        d.size = typeof m.size === "number" ? BigInt(m.size) : $util.Long.fromBits(m.size.low >>> 0, m.size.high >>> 0, true).toBigInt();
                    else if (typeof m.size === "number")
                        d.size = o.longs === String ? String(m.size) : m.size;
                    else
                        d.size = o.longs === String ? $util.Long.prototype.toString.call(m.size) : o.longs === Number ? new $util.LongBits(m.size.low >>> 0, m.size.high >>> 0).toNumber(true) : m.size;
                }
                if (m.mode != null && Object.hasOwnProperty.call(m, "mode")) {
                    d.mode = m.mode;
                }
                if (m.stored != null && Object.hasOwnProperty.call(m, "stored")) {
                    d.stored = m.stored;
                }
                return d;
            };

            OutputFile.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return OutputFile;
        })();

        v1.RunFinished = (function() {

            function RunFinished(p) {
                this.outputs = [];
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            RunFinished.prototype.exitCode = 0;
            RunFinished.prototype.signal = "";
            RunFinished.prototype.durationMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            RunFinished.prototype.error = "";
            RunFinished.prototype.outputs = $util.emptyArray;

            RunFinished.create = function create(properties) {
                return new RunFinished(properties);
            };

            RunFinished.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.exitCode != null && Object.hasOwnProperty.call(m, "exitCode"))
                    w.uint32(8).int32(m.exitCode);
                if (m.signal != null && Object.hasOwnProperty.call(m, "signal"))
                    w.uint32(18).string(m.signal);
                if (m.durationMs != null && Object.hasOwnProperty.call(m, "durationMs"))
                    w.uint32(24).uint64(m.durationMs);
                if (m.error != null && Object.hasOwnProperty.call(m, "error"))
                    w.uint32(34).string(m.error);
                if (m.outputs != null && m.outputs.length) {
                    for (var i = 0; i < m.outputs.length; ++i)
                        $root.snaptrail.v1.OutputFile.encode(m.outputs[i], w.uint32(42).fork(), q + 1).ldelim();
                }
                return w;
            };

            RunFinished.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.RunFinished();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.exitCode = r.int32();
                            break;
                        }
                    case 2: {
                            m.signal = r.string();
                            break;
                        }
                    case 3: {
                            m.durationMs = r.uint64();
                            break;
                        }
                    case 4: {
                            m.error = r.string();
                            break;
                        }
                    case 5: {
                            if (!(m.outputs && m.outputs.length))
                                m.outputs = [];
                            m.outputs.push($root.snaptrail.v1.OutputFile.decode(r, r.uint32(), undefined, n + 1));
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            RunFinished.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.RunFinished)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.RunFinished: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.RunFinished();
                if (d.exitCode != null) {
                    m.exitCode = d.exitCode | 0;
                }
                if (d.signal != null) {
                    m.signal = String(d.signal);
                }
                if (d.durationMs != null) {
                    if ($util.Long)
                        m.durationMs = $util.Long.fromValue(d.durationMs, true);
                    else if (typeof d.durationMs === "string")
                        m.durationMs = parseInt(d.durationMs, 10);
                    else if (typeof d.durationMs === "number")
                        m.durationMs = d.durationMs;
                    else if (typeof d.durationMs === "object")
                        m.durationMs = new $util.LongBits(d.durationMs.low >>> 0, d.durationMs.high >>> 0).toNumber(true);
                }
                if (d.error != null) {
                    m.error = String(d.error);
                }
                if (d.outputs) {
                    if (!Array.isArray(d.outputs))
                        throw TypeError(".snaptrail.v1.RunFinished.outputs: array expected");
                    m.outputs = [];
                    for (var i = 0; i < d.outputs.length; ++i) {
                        if (!$util.isObject(d.outputs[i]))
                            throw TypeError(".snaptrail.v1.RunFinished.outputs: object expected");
                        m.outputs[i] = $root.snaptrail.v1.OutputFile.fromObject(d.outputs[i], n + 1);
                    }
                }
                return m;
            };

            RunFinished.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.outputs = [];
                }
                if (o.defaults) {
                    d.exitCode = 0;
                    d.signal = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.durationMs = o.longs === String ? n.toString() : o.longs === Number ? n.toNumber() : typeof BigInt !== "undefined" && o.longs === BigInt ? n.toBigInt() : n;
                    } else
                        d.durationMs = o.longs === String ? "0" : typeof BigInt !== "undefined" && o.longs === BigInt ? BigInt("0") : 0;
                    d.error = "";
                }
                if (m.exitCode != null && Object.hasOwnProperty.call(m, "exitCode")) {
                    d.exitCode = m.exitCode;
                }
                if (m.signal != null && Object.hasOwnProperty.call(m, "signal")) {
                    d.signal = m.signal;
                }
                if (m.durationMs != null && Object.hasOwnProperty.call(m, "durationMs")) {
                    if (typeof BigInt !== "undefined" && o.longs === BigInt)
                        d.durationMs = typeof m.durationMs === "number" ? BigInt(m.durationMs) : $util.Long.fromBits(m.durationMs.low >>> 0, m.durationMs.high >>> 0, true).toBigInt();
                    else if (typeof m.durationMs === "number")
                        d.durationMs = o.longs === String ? String(m.durationMs) : m.durationMs;
                    else
                        d.durationMs = o.longs === String ? $util.Long.prototype.toString.call(m.durationMs) : o.longs === Number ? new $util.LongBits(m.durationMs.low >>> 0, m.durationMs.high >>> 0).toNumber(true) : m.durationMs;
                }
                if (m.error != null && Object.hasOwnProperty.call(m, "error")) {
                    d.error = m.error;
                }
                if (m.outputs && m.outputs.length) {
                    d.outputs = [];
                    for (var j = 0; j < m.outputs.length; ++j) {
                        d.outputs[j] = $root.snaptrail.v1.OutputFile.toObject(m.outputs[j], o, q + 1);
                    }
                }
                return d;
            };

            RunFinished.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return RunFinished;
        })();

        v1.Event = (function() {

            function Event(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            Event.prototype.eventId = "";
            Event.prototype.runId = "";
            Event.prototype.timeUnixMs = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            Event.prototype.runStarted = null;
            Event.prototype.snapshotCaptured = null;
            Event.prototype.runFinished = null;

            var $oneOfFields;

            Object.defineProperty(Event.prototype, "payload", {
                get: $util.oneOfGetter($oneOfFields = ["runStarted", "snapshotCaptured", "runFinished"]),
                set: $util.oneOfSetter($oneOfFields)
            });

            Event.create = function create(properties) {
                return new Event(properties);
            };

            Event.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.eventId != null && Object.hasOwnProperty.call(m, "eventId"))
                    w.uint32(10).string(m.eventId);
                if (m.runId != null && Object.hasOwnProperty.call(m, "runId"))
                    w.uint32(18).string(m.runId);
                if (m.timeUnixMs != null && Object.hasOwnProperty.call(m, "timeUnixMs"))
                    w.uint32(24).uint64(m.timeUnixMs);
                if (m.runStarted != null && Object.hasOwnProperty.call(m, "runStarted"))
                    $root.snaptrail.v1.RunStarted.encode(m.runStarted, w.uint32(82).fork(), q + 1).ldelim();
                if (m.snapshotCaptured != null && Object.hasOwnProperty.call(m, "snapshotCaptured"))
                    $root.snaptrail.v1.SnapshotCaptured.encode(m.snapshotCaptured, w.uint32(90).fork(), q + 1).ldelim();
                if (m.runFinished != null && Object.hasOwnProperty.call(m, "runFinished"))
                    $root.snaptrail.v1.RunFinished.encode(m.runFinished, w.uint32(98).fork(), q + 1).ldelim();
                return w;
            };

            Event.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.Event();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.eventId = r.string();
                            break;
                        }
                    case 2: {
                            m.runId = r.string();
                            break;
                        }
                    case 3: {
                            m.timeUnixMs = r.uint64();
                            break;
                        }
                    case 10: {
                            m.runStarted = $root.snaptrail.v1.RunStarted.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 11: {
                            m.snapshotCaptured = $root.snaptrail.v1.SnapshotCaptured.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 12: {
                            m.runFinished = $root.snaptrail.v1.RunFinished.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            Event.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.Event)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.Event: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.Event();
                if (d.eventId != null) {
                    m.eventId = String(d.eventId);
                }
                if (d.runId != null) {
                    m.runId = String(d.runId);
                }
                if (d.timeUnixMs != null) {
                    if ($util.Long)
                        m.timeUnixMs = $util.Long.fromValue(d.timeUnixMs, true);
                    else if (typeof d.timeUnixMs === "string")
                        m.timeUnixMs = parseInt(d.timeUnixMs, 10);
                    else if (typeof d.timeUnixMs === "number")
                        m.timeUnixMs = d.timeUnixMs;
                    else if (typeof d.timeUnixMs === "object")
                        m.timeUnixMs = new $util.LongBits(d.timeUnixMs.low >>> 0, d.timeUnixMs.high >>> 0).toNumber(true);
                }
                if (d.runStarted != null) {
                    if (!$util.isObject(d.runStarted))
                        throw TypeError(".snaptrail.v1.Event.runStarted: object expected");
                    m.runStarted = $root.snaptrail.v1.RunStarted.fromObject(d.runStarted, n + 1);
                }
                if (d.snapshotCaptured != null) {
                    if (!$util.isObject(d.snapshotCaptured))
                        throw TypeError(".snaptrail.v1.Event.snapshotCaptured: object expected");
                    m.snapshotCaptured = $root.snaptrail.v1.SnapshotCaptured.fromObject(d.snapshotCaptured, n + 1);
                }
                if (d.runFinished != null) {
                    if (!$util.isObject(d.runFinished))
                        throw TypeError(".snaptrail.v1.Event.runFinished: object expected");
                    m.runFinished = $root.snaptrail.v1.RunFinished.fromObject(d.runFinished, n + 1);
                }
                return m;
            };

            Event.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.eventId = "";
                    d.runId = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.timeUnixMs = o.longs === String ? n.toString() : o.longs === Number ? n.toNumber() : typeof BigInt !== "undefined" && o.longs === BigInt ? n.toBigInt() : n;
                    } else
                        d.timeUnixMs = o.longs === String ? "0" : typeof BigInt !== "undefined" && o.longs === BigInt ? BigInt("0") : 0;
                }
                if (m.eventId != null && Object.hasOwnProperty.call(m, "eventId")) {
                    d.eventId = m.eventId;
                }
                if (m.runId != null && Object.hasOwnProperty.call(m, "runId")) {
                    d.runId = m.runId;
                }
                if (m.timeUnixMs != null && Object.hasOwnProperty.call(m, "timeUnixMs")) {
                    if (typeof BigInt !== "undefined" && o.longs === BigInt)
                        d.timeUnixMs = typeof m.timeUnixMs === "number" ? BigInt(m.timeUnixMs) : $util.Long.fromBits(m.timeUnixMs.low >>> 0, m.timeUnixMs.high >>> 0, true).toBigInt();
                    else if (typeof m.timeUnixMs === "number")
                        d.timeUnixMs = o.longs === String ? String(m.timeUnixMs) : m.timeUnixMs;
                    else
                        d.timeUnixMs = o.longs === String ? $util.Long.prototype.toString.call(m.timeUnixMs) : o.longs === Number ? new $util.LongBits(m.timeUnixMs.low >>> 0, m.timeUnixMs.high >>> 0).toNumber(true) : m.timeUnixMs;
                }
                if (m.runStarted != null && Object.hasOwnProperty.call(m, "runStarted")) {
                    d.runStarted = $root.snaptrail.v1.RunStarted.toObject(m.runStarted, o, q + 1);
                    if (o.oneofs)
                        d.payload = "runStarted";
                }
                if (m.snapshotCaptured != null && Object.hasOwnProperty.call(m, "snapshotCaptured")) {
                    d.snapshotCaptured = $root.snaptrail.v1.SnapshotCaptured.toObject(m.snapshotCaptured, o, q + 1);
                    if (o.oneofs)
                        d.payload = "snapshotCaptured";
                }
                if (m.runFinished != null && Object.hasOwnProperty.call(m, "runFinished")) {
                    d.runFinished = $root.snaptrail.v1.RunFinished.toObject(m.runFinished, o, q + 1);
                    if (o.oneofs)
                        d.payload = "runFinished";
                }
                return d;
            };

            Event.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Event;
        })();

        v1.Interpreter = (function() {

            function Interpreter(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            Interpreter.prototype.implementation = "";
            Interpreter.prototype.version = "";
            Interpreter.prototype.executable = "";
            Interpreter.prototype.prefix = "";
            Interpreter.prototype.basePrefix = "";
            Interpreter.prototype.platform = "";
            Interpreter.prototype.kind = "";

            Interpreter.create = function create(properties) {
                return new Interpreter(properties);
            };

            Interpreter.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.implementation != null && Object.hasOwnProperty.call(m, "implementation"))
                    w.uint32(10).string(m.implementation);
                if (m.version != null && Object.hasOwnProperty.call(m, "version"))
                    w.uint32(18).string(m.version);
                if (m.executable != null && Object.hasOwnProperty.call(m, "executable"))
                    w.uint32(26).string(m.executable);
                if (m.prefix != null && Object.hasOwnProperty.call(m, "prefix"))
                    w.uint32(34).string(m.prefix);
                if (m.basePrefix != null && Object.hasOwnProperty.call(m, "basePrefix"))
                    w.uint32(42).string(m.basePrefix);
                if (m.platform != null && Object.hasOwnProperty.call(m, "platform"))
                    w.uint32(50).string(m.platform);
                if (m.kind != null && Object.hasOwnProperty.call(m, "kind"))
                    w.uint32(58).string(m.kind);
                return w;
            };

            Interpreter.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.Interpreter();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.implementation = r.string();
                            break;
                        }
                    case 2: {
                            m.version = r.string();
                            break;
                        }
                    case 3: {
                            m.executable = r.string();
                            break;
                        }
                    case 4: {
                            m.prefix = r.string();
                            break;
                        }
                    case 5: {
                            m.basePrefix = r.string();
                            break;
                        }
                    case 6: {
                            m.platform = r.string();
                            break;
                        }
                    case 7: {
                            m.kind = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            Interpreter.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.Interpreter)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.Interpreter: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.Interpreter();
                if (d.implementation != null) {
                    m.implementation = String(d.implementation);
                }
                if (d.version != null) {
                    m.version = String(d.version);
                }
                if (d.executable != null) {
                    m.executable = String(d.executable);
                }
                if (d.prefix != null) {
                    m.prefix = String(d.prefix);
                }
                if (d.basePrefix != null) {
                    m.basePrefix = String(d.basePrefix);
                }
                if (d.platform != null) {
                    m.platform = String(d.platform);
                }
                if (d.kind != null) {
                    m.kind = String(d.kind);
                }
                return m;
            };

            Interpreter.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.implementation = "";
                    d.version = "";
                    d.executable = "";
                    d.prefix = "";
                    d.basePrefix = "";
                    d.platform = "";
                    d.kind = "";
                }
                if (m.implementation != null && Object.hasOwnProperty.call(m, "implementation")) {
                    d.implementation = m.implementation;
                }
                if (m.version != null && Object.hasOwnProperty.call(m, "version")) {
                    d.version = m.version;
                }
                if (m.executable != null && Object.hasOwnProperty.call(m, "executable")) {
                    d.executable = m.executable;
                }
                if (m.prefix != null && Object.hasOwnProperty.call(m, "prefix")) {
                    d.prefix = m.prefix;
                }
                if (m.basePrefix != null && Object.hasOwnProperty.call(m, "basePrefix")) {
                    d.basePrefix = m.basePrefix;
                }
                if (m.platform != null && Object.hasOwnProperty.call(m, "platform")) {
                    d.platform = m.platform;
                }
                if (m.kind != null && Object.hasOwnProperty.call(m, "kind")) {
                    d.kind = m.kind;
                }
                return d;
            };

            Interpreter.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Interpreter;
        })();

        v1.PackageSource = (function() {

            function PackageSource(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            PackageSource.prototype.kind = "";
            PackageSource.prototype.url = "";
            PackageSource.prototype.vcs = "";
            PackageSource.prototype.commit = "";
            PackageSource.prototype.archiveHash = "";
            PackageSource.prototype.channel = "";
            PackageSource.prototype.build = "";
            PackageSource.prototype.recordDigest = "";

            PackageSource.create = function create(properties) {
                return new PackageSource(properties);
            };

            PackageSource.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.kind != null && Object.hasOwnProperty.call(m, "kind"))
                    w.uint32(10).string(m.kind);
                if (m.url != null && Object.hasOwnProperty.call(m, "url"))
                    w.uint32(18).string(m.url);
                if (m.vcs != null && Object.hasOwnProperty.call(m, "vcs"))
                    w.uint32(26).string(m.vcs);
                if (m.commit != null && Object.hasOwnProperty.call(m, "commit"))
                    w.uint32(34).string(m.commit);
                if (m.archiveHash != null && Object.hasOwnProperty.call(m, "archiveHash"))
                    w.uint32(42).string(m.archiveHash);
                if (m.channel != null && Object.hasOwnProperty.call(m, "channel"))
                    w.uint32(50).string(m.channel);
                if (m.build != null && Object.hasOwnProperty.call(m, "build"))
                    w.uint32(58).string(m.build);
                if (m.recordDigest != null && Object.hasOwnProperty.call(m, "recordDigest"))
                    w.uint32(66).string(m.recordDigest);
                return w;
            };

            PackageSource.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.PackageSource();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.kind = r.string();
                            break;
                        }
                    case 2: {
                            m.url = r.string();
                            break;
                        }
                    case 3: {
                            m.vcs = r.string();
                            break;
                        }
                    case 4: {
                            m.commit = r.string();
                            break;
                        }
                    case 5: {
                            m.archiveHash = r.string();
                            break;
                        }
                    case 6: {
                            m.channel = r.string();
                            break;
                        }
                    case 7: {
                            m.build = r.string();
                            break;
                        }
                    case 8: {
                            m.recordDigest = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            PackageSource.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.PackageSource)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.PackageSource: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.PackageSource();
                if (d.kind != null) {
                    m.kind = String(d.kind);
                }
                if (d.url != null) {
                    m.url = String(d.url);
                }
                if (d.vcs != null) {
                    m.vcs = String(d.vcs);
                }
                if (d.commit != null) {
                    m.commit = String(d.commit);
                }
                if (d.archiveHash != null) {
                    m.archiveHash = String(d.archiveHash);
                }
                if (d.channel != null) {
                    m.channel = String(d.channel);
                }
                if (d.build != null) {
                    m.build = String(d.build);
                }
                if (d.recordDigest != null) {
                    m.recordDigest = String(d.recordDigest);
                }
                return m;
            };

            PackageSource.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.kind = "";
                    d.url = "";
                    d.vcs = "";
                    d.commit = "";
                    d.archiveHash = "";
                    d.channel = "";
                    d.build = "";
                    d.recordDigest = "";
                }
                if (m.kind != null && Object.hasOwnProperty.call(m, "kind")) {
                    d.kind = m.kind;
                }
                if (m.url != null && Object.hasOwnProperty.call(m, "url")) {
                    d.url = m.url;
                }
                if (m.vcs != null && Object.hasOwnProperty.call(m, "vcs")) {
                    d.vcs = m.vcs;
                }
                if (m.commit != null && Object.hasOwnProperty.call(m, "commit")) {
                    d.commit = m.commit;
                }
                if (m.archiveHash != null && Object.hasOwnProperty.call(m, "archiveHash")) {
                    d.archiveHash = m.archiveHash;
                }
                if (m.channel != null && Object.hasOwnProperty.call(m, "channel")) {
                    d.channel = m.channel;
                }
                if (m.build != null && Object.hasOwnProperty.call(m, "build")) {
                    d.build = m.build;
                }
                if (m.recordDigest != null && Object.hasOwnProperty.call(m, "recordDigest")) {
                    d.recordDigest = m.recordDigest;
                }
                return d;
            };

            PackageSource.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return PackageSource;
        })();

        v1.Package = (function() {

            function Package(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            Package.prototype.name = "";
            Package.prototype.version = "";
            Package.prototype.installer = "";
            Package.prototype.source = null;
            Package.prototype.shadowed = false;

            Package.create = function create(properties) {
                return new Package(properties);
            };

            Package.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.name != null && Object.hasOwnProperty.call(m, "name"))
                    w.uint32(10).string(m.name);
                if (m.version != null && Object.hasOwnProperty.call(m, "version"))
                    w.uint32(18).string(m.version);
                if (m.installer != null && Object.hasOwnProperty.call(m, "installer"))
                    w.uint32(26).string(m.installer);
                if (m.source != null && Object.hasOwnProperty.call(m, "source"))
                    $root.snaptrail.v1.PackageSource.encode(m.source, w.uint32(34).fork(), q + 1).ldelim();
                if (m.shadowed != null && Object.hasOwnProperty.call(m, "shadowed"))
                    w.uint32(40).bool(m.shadowed);
                return w;
            };

            Package.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.Package();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.name = r.string();
                            break;
                        }
                    case 2: {
                            m.version = r.string();
                            break;
                        }
                    case 3: {
                            m.installer = r.string();
                            break;
                        }
                    case 4: {
                            m.source = $root.snaptrail.v1.PackageSource.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 5: {
                            m.shadowed = r.bool();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            Package.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.Package)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.Package: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.Package();
                if (d.name != null) {
                    m.name = String(d.name);
                }
                if (d.version != null) {
                    m.version = String(d.version);
                }
                if (d.installer != null) {
                    m.installer = String(d.installer);
                }
                if (d.source != null) {
                    if (!$util.isObject(d.source))
                        throw TypeError(".snaptrail.v1.Package.source: object expected");
                    m.source = $root.snaptrail.v1.PackageSource.fromObject(d.source, n + 1);
                }
                if (d.shadowed != null) {
                    m.shadowed = Boolean(d.shadowed);
                }
                return m;
            };

            Package.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.name = "";
                    d.version = "";
                    d.installer = "";
                    d.source = null;
                    d.shadowed = false;
                }
                if (m.name != null && Object.hasOwnProperty.call(m, "name")) {
                    d.name = m.name;
                }
                if (m.version != null && Object.hasOwnProperty.call(m, "version")) {
                    d.version = m.version;
                }
                if (m.installer != null && Object.hasOwnProperty.call(m, "installer")) {
                    d.installer = m.installer;
                }
                if (m.source != null && Object.hasOwnProperty.call(m, "source")) {
                    d.source = $root.snaptrail.v1.PackageSource.toObject(m.source, o, q + 1);
                }
                if (m.shadowed != null && Object.hasOwnProperty.call(m, "shadowed")) {
                    d.shadowed = m.shadowed;
                }
                return d;
            };

            Package.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Package;
        })();

        v1.ContainerImage = (function() {

            function ContainerImage(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            ContainerImage.prototype.reference = "";
            ContainerImage.prototype.digest = "";
            ContainerImage.prototype.source = "";
            ContainerImage.prototype.runtime = "";

            ContainerImage.create = function create(properties) {
                return new ContainerImage(properties);
            };

            ContainerImage.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.reference != null && Object.hasOwnProperty.call(m, "reference"))
                    w.uint32(10).string(m.reference);
                if (m.digest != null && Object.hasOwnProperty.call(m, "digest"))
                    w.uint32(18).string(m.digest);
                if (m.source != null && Object.hasOwnProperty.call(m, "source"))
                    w.uint32(26).string(m.source);
                if (m.runtime != null && Object.hasOwnProperty.call(m, "runtime"))
                    w.uint32(34).string(m.runtime);
                return w;
            };

            ContainerImage.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.ContainerImage();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.reference = r.string();
                            break;
                        }
                    case 2: {
                            m.digest = r.string();
                            break;
                        }
                    case 3: {
                            m.source = r.string();
                            break;
                        }
                    case 4: {
                            m.runtime = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            ContainerImage.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.ContainerImage)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.ContainerImage: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.ContainerImage();
                if (d.reference != null) {
                    m.reference = String(d.reference);
                }
                if (d.digest != null) {
                    m.digest = String(d.digest);
                }
                if (d.source != null) {
                    m.source = String(d.source);
                }
                if (d.runtime != null) {
                    m.runtime = String(d.runtime);
                }
                return m;
            };

            ContainerImage.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.reference = "";
                    d.digest = "";
                    d.source = "";
                    d.runtime = "";
                }
                if (m.reference != null && Object.hasOwnProperty.call(m, "reference")) {
                    d.reference = m.reference;
                }
                if (m.digest != null && Object.hasOwnProperty.call(m, "digest")) {
                    d.digest = m.digest;
                }
                if (m.source != null && Object.hasOwnProperty.call(m, "source")) {
                    d.source = m.source;
                }
                if (m.runtime != null && Object.hasOwnProperty.call(m, "runtime")) {
                    d.runtime = m.runtime;
                }
                return d;
            };

            ContainerImage.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return ContainerImage;
        })();

        v1.OsInfo = (function() {

            function OsInfo(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            OsInfo.prototype.id = "";
            OsInfo.prototype.versionId = "";
            OsInfo.prototype.prettyName = "";
            OsInfo.prototype.libc = "";

            OsInfo.create = function create(properties) {
                return new OsInfo(properties);
            };

            OsInfo.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.id != null && Object.hasOwnProperty.call(m, "id"))
                    w.uint32(10).string(m.id);
                if (m.versionId != null && Object.hasOwnProperty.call(m, "versionId"))
                    w.uint32(18).string(m.versionId);
                if (m.prettyName != null && Object.hasOwnProperty.call(m, "prettyName"))
                    w.uint32(26).string(m.prettyName);
                if (m.libc != null && Object.hasOwnProperty.call(m, "libc"))
                    w.uint32(34).string(m.libc);
                return w;
            };

            OsInfo.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.OsInfo();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.id = r.string();
                            break;
                        }
                    case 2: {
                            m.versionId = r.string();
                            break;
                        }
                    case 3: {
                            m.prettyName = r.string();
                            break;
                        }
                    case 4: {
                            m.libc = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            OsInfo.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.OsInfo)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.OsInfo: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.OsInfo();
                if (d.id != null) {
                    m.id = String(d.id);
                }
                if (d.versionId != null) {
                    m.versionId = String(d.versionId);
                }
                if (d.prettyName != null) {
                    m.prettyName = String(d.prettyName);
                }
                if (d.libc != null) {
                    m.libc = String(d.libc);
                }
                return m;
            };

            OsInfo.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.id = "";
                    d.versionId = "";
                    d.prettyName = "";
                    d.libc = "";
                }
                if (m.id != null && Object.hasOwnProperty.call(m, "id")) {
                    d.id = m.id;
                }
                if (m.versionId != null && Object.hasOwnProperty.call(m, "versionId")) {
                    d.versionId = m.versionId;
                }
                if (m.prettyName != null && Object.hasOwnProperty.call(m, "prettyName")) {
                    d.prettyName = m.prettyName;
                }
                if (m.libc != null && Object.hasOwnProperty.call(m, "libc")) {
                    d.libc = m.libc;
                }
                return d;
            };

            OsInfo.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return OsInfo;
        })();

        v1.EnvVar = (function() {

            function EnvVar(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            EnvVar.prototype.name = "";
            EnvVar.prototype.value = "";
            EnvVar.prototype.redacted = false;

            EnvVar.create = function create(properties) {
                return new EnvVar(properties);
            };

            EnvVar.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.name != null && Object.hasOwnProperty.call(m, "name"))
                    w.uint32(10).string(m.name);
                if (m.value != null && Object.hasOwnProperty.call(m, "value"))
                    w.uint32(18).string(m.value);
                if (m.redacted != null && Object.hasOwnProperty.call(m, "redacted"))
                    w.uint32(24).bool(m.redacted);
                return w;
            };

            EnvVar.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.EnvVar();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.name = r.string();
                            break;
                        }
                    case 2: {
                            m.value = r.string();
                            break;
                        }
                    case 3: {
                            m.redacted = r.bool();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            EnvVar.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.EnvVar)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.EnvVar: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.EnvVar();
                if (d.name != null) {
                    m.name = String(d.name);
                }
                if (d.value != null) {
                    m.value = String(d.value);
                }
                if (d.redacted != null) {
                    m.redacted = Boolean(d.redacted);
                }
                return m;
            };

            EnvVar.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.name = "";
                    d.value = "";
                    d.redacted = false;
                }
                if (m.name != null && Object.hasOwnProperty.call(m, "name")) {
                    d.name = m.name;
                }
                if (m.value != null && Object.hasOwnProperty.call(m, "value")) {
                    d.value = m.value;
                }
                if (m.redacted != null && Object.hasOwnProperty.call(m, "redacted")) {
                    d.redacted = m.redacted;
                }
                return d;
            };

            EnvVar.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return EnvVar;
        })();

        v1.IndexSettings = (function() {

            function IndexSettings(p) {
                this.extraIndexUrls = [];
                this.findLinks = [];
                this.readFrom = [];
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            IndexSettings.prototype.indexUrl = "";
            IndexSettings.prototype.extraIndexUrls = $util.emptyArray;
            IndexSettings.prototype.findLinks = $util.emptyArray;
            IndexSettings.prototype.noIndex = false;
            IndexSettings.prototype.readFrom = $util.emptyArray;

            IndexSettings.create = function create(properties) {
                return new IndexSettings(properties);
            };

            IndexSettings.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.indexUrl != null && Object.hasOwnProperty.call(m, "indexUrl"))
                    w.uint32(10).string(m.indexUrl);
                if (m.extraIndexUrls != null && m.extraIndexUrls.length) {
                    for (var i = 0; i < m.extraIndexUrls.length; ++i)
                        w.uint32(18).string(m.extraIndexUrls[i]);
                }
                if (m.findLinks != null && m.findLinks.length) {
                    for (var i = 0; i < m.findLinks.length; ++i)
                        w.uint32(26).string(m.findLinks[i]);
                }
                if (m.noIndex != null && Object.hasOwnProperty.call(m, "noIndex"))
                    w.uint32(32).bool(m.noIndex);
                if (m.readFrom != null && m.readFrom.length) {
                    for (var i = 0; i < m.readFrom.length; ++i)
                        w.uint32(42).string(m.readFrom[i]);
                }
                return w;
            };

            IndexSettings.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.IndexSettings();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.indexUrl = r.string();
                            break;
                        }
                    case 2: {
                            if (!(m.extraIndexUrls && m.extraIndexUrls.length))
                                m.extraIndexUrls = [];
                            m.extraIndexUrls.push(r.string());
                            break;
                        }
                    case 3: {
                            if (!(m.findLinks && m.findLinks.length))
                                m.findLinks = [];
                            m.findLinks.push(r.string());
                            break;
                        }
                    case 4: {
                            m.noIndex = r.bool();
                            break;
                        }
                    case 5: {
                            if (!(m.readFrom && m.readFrom.length))
                                m.readFrom = [];
                            m.readFrom.push(r.string());
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            IndexSettings.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.IndexSettings)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.IndexSettings: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.IndexSettings();
                if (d.indexUrl != null) {
                    m.indexUrl = String(d.indexUrl);
                }
                if (d.extraIndexUrls) {
                    if (!Array.isArray(d.extraIndexUrls))
                        throw TypeError(".snaptrail.v1.IndexSettings.extraIndexUrls: array expected");
                    m.extraIndexUrls = [];
                    for (var i = 0; i < d.extraIndexUrls.length; ++i) {
                        m.extraIndexUrls[i] = String(d.extraIndexUrls[i]);
                    }
                }
                if (d.findLinks) {
                    if (!Array.isArray(d.findLinks))
                        throw TypeError(".snaptrail.v1.IndexSettings.findLinks: array expected");
                    m.findLinks = [];
                    for (var i = 0; i < d.findLinks.length; ++i) {
                        m.findLinks[i] = String(d.findLinks[i]);
                    }
                }
                if (d.noIndex != null) {
                    m.noIndex = Boolean(d.noIndex);
                }
                if (d.readFrom) {
                    if (!Array.isArray(d.readFrom))
                        throw TypeError(".snaptrail.v1.IndexSettings.readFrom: array expected");
                    m.readFrom = [];
                    for (var i = 0; i < d.readFrom.length; ++i) {
                        m.readFrom[i] = String(d.readFrom[i]);
                    }
                }
                return m;
            };

            IndexSettings.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.extraIndexUrls = [];
                    d.findLinks = [];
                    d.readFrom = [];
                }
                if (o.defaults) {
                    d.indexUrl = "";
                    d.noIndex = false;
                }
                if (m.indexUrl != null && Object.hasOwnProperty.call(m, "indexUrl")) {
                    d.indexUrl = m.indexUrl;
                }
                if (m.extraIndexUrls && m.extraIndexUrls.length) {
                    d.extraIndexUrls = [];
                    for (var j = 0; j < m.extraIndexUrls.length; ++j) {
                        d.extraIndexUrls[j] = m.extraIndexUrls[j];
                    }
                }
                if (m.findLinks && m.findLinks.length) {
                    d.findLinks = [];
                    for (var j = 0; j < m.findLinks.length; ++j) {
                        d.findLinks[j] = m.findLinks[j];
                    }
                }
                if (m.noIndex != null && Object.hasOwnProperty.call(m, "noIndex")) {
                    d.noIndex = m.noIndex;
                }
                if (m.readFrom && m.readFrom.length) {
                    d.readFrom = [];
                    for (var j = 0; j < m.readFrom.length; ++j) {
                        d.readFrom[j] = m.readFrom[j];
                    }
                }
                return d;
            };

            IndexSettings.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return IndexSettings;
        })();

        v1.PackageIndexes = (function() {

            function PackageIndexes(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            PackageIndexes.prototype.pip = null;
            PackageIndexes.prototype.uv = null;

            PackageIndexes.create = function create(properties) {
                return new PackageIndexes(properties);
            };

            PackageIndexes.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.pip != null && Object.hasOwnProperty.call(m, "pip"))
                    $root.snaptrail.v1.IndexSettings.encode(m.pip, w.uint32(10).fork(), q + 1).ldelim();
                if (m.uv != null && Object.hasOwnProperty.call(m, "uv"))
                    $root.snaptrail.v1.IndexSettings.encode(m.uv, w.uint32(18).fork(), q + 1).ldelim();
                return w;
            };

            PackageIndexes.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.PackageIndexes();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.pip = $root.snaptrail.v1.IndexSettings.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 2: {
                            m.uv = $root.snaptrail.v1.IndexSettings.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            PackageIndexes.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.PackageIndexes)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.PackageIndexes: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.PackageIndexes();
                if (d.pip != null) {
                    if (!$util.isObject(d.pip))
                        throw TypeError(".snaptrail.v1.PackageIndexes.pip: object expected");
                    m.pip = $root.snaptrail.v1.IndexSettings.fromObject(d.pip, n + 1);
                }
                if (d.uv != null) {
                    if (!$util.isObject(d.uv))
                        throw TypeError(".snaptrail.v1.PackageIndexes.uv: object expected");
                    m.uv = $root.snaptrail.v1.IndexSettings.fromObject(d.uv, n + 1);
                }
                return m;
            };

            PackageIndexes.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.pip = null;
                    d.uv = null;
                }
                if (m.pip != null && Object.hasOwnProperty.call(m, "pip")) {
                    d.pip = $root.snaptrail.v1.IndexSettings.toObject(m.pip, o, q + 1);
                }
                if (m.uv != null && Object.hasOwnProperty.call(m, "uv")) {
                    d.uv = $root.snaptrail.v1.IndexSettings.toObject(m.uv, o, q + 1);
                }
                return d;
            };

            PackageIndexes.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return PackageIndexes;
        })();

        v1.EnvironmentSnapshot = (function() {

            function EnvironmentSnapshot(p) {
                this.packages = [];
                this.env = [];
                this.modules = [];
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            EnvironmentSnapshot.prototype.interpreter = null;
            EnvironmentSnapshot.prototype.packages = $util.emptyArray;
            EnvironmentSnapshot.prototype.image = null;
            EnvironmentSnapshot.prototype.os = null;
            EnvironmentSnapshot.prototype.env = $util.emptyArray;
            EnvironmentSnapshot.prototype.modules = $util.emptyArray;
            EnvironmentSnapshot.prototype.indexes = null;

            EnvironmentSnapshot.create = function create(properties) {
                return new EnvironmentSnapshot(properties);
            };

            EnvironmentSnapshot.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.interpreter != null && Object.hasOwnProperty.call(m, "interpreter"))
                    $root.snaptrail.v1.Interpreter.encode(m.interpreter, w.uint32(10).fork(), q + 1).ldelim();
                if (m.packages != null && m.packages.length) {
                    for (var i = 0; i < m.packages.length; ++i)
                        $root.snaptrail.v1.Package.encode(m.packages[i], w.uint32(18).fork(), q + 1).ldelim();
                }
                if (m.image != null && Object.hasOwnProperty.call(m, "image"))
                    $root.snaptrail.v1.ContainerImage.encode(m.image, w.uint32(26).fork(), q + 1).ldelim();
                if (m.os != null && Object.hasOwnProperty.call(m, "os"))
                    $root.snaptrail.v1.OsInfo.encode(m.os, w.uint32(34).fork(), q + 1).ldelim();
                if (m.env != null && m.env.length) {
                    for (var i = 0; i < m.env.length; ++i)
                        $root.snaptrail.v1.EnvVar.encode(m.env[i], w.uint32(42).fork(), q + 1).ldelim();
                }
                if (m.modules != null && m.modules.length) {
                    for (var i = 0; i < m.modules.length; ++i)
                        w.uint32(50).string(m.modules[i]);
                }
                if (m.indexes != null && Object.hasOwnProperty.call(m, "indexes"))
                    $root.snaptrail.v1.PackageIndexes.encode(m.indexes, w.uint32(58).fork(), q + 1).ldelim();
                return w;
            };

            EnvironmentSnapshot.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.EnvironmentSnapshot();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.interpreter = $root.snaptrail.v1.Interpreter.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 2: {
                            if (!(m.packages && m.packages.length))
                                m.packages = [];
                            m.packages.push($root.snaptrail.v1.Package.decode(r, r.uint32(), undefined, n + 1));
                            break;
                        }
                    case 3: {
                            m.image = $root.snaptrail.v1.ContainerImage.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 4: {
                            m.os = $root.snaptrail.v1.OsInfo.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 5: {
                            if (!(m.env && m.env.length))
                                m.env = [];
                            m.env.push($root.snaptrail.v1.EnvVar.decode(r, r.uint32(), undefined, n + 1));
                            break;
                        }
                    case 6: {
                            if (!(m.modules && m.modules.length))
                                m.modules = [];
                            m.modules.push(r.string());
                            break;
                        }
                    case 7: {
                            m.indexes = $root.snaptrail.v1.PackageIndexes.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            EnvironmentSnapshot.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.EnvironmentSnapshot)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.EnvironmentSnapshot: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.EnvironmentSnapshot();
                if (d.interpreter != null) {
                    if (!$util.isObject(d.interpreter))
                        throw TypeError(".snaptrail.v1.EnvironmentSnapshot.interpreter: object expected");
                    m.interpreter = $root.snaptrail.v1.Interpreter.fromObject(d.interpreter, n + 1);
                }
                if (d.packages) {
                    if (!Array.isArray(d.packages))
                        throw TypeError(".snaptrail.v1.EnvironmentSnapshot.packages: array expected");
                    m.packages = [];
                    for (var i = 0; i < d.packages.length; ++i) {
                        if (!$util.isObject(d.packages[i]))
                            throw TypeError(".snaptrail.v1.EnvironmentSnapshot.packages: object expected");
                        m.packages[i] = $root.snaptrail.v1.Package.fromObject(d.packages[i], n + 1);
                    }
                }
                if (d.image != null) {
                    if (!$util.isObject(d.image))
                        throw TypeError(".snaptrail.v1.EnvironmentSnapshot.image: object expected");
                    m.image = $root.snaptrail.v1.ContainerImage.fromObject(d.image, n + 1);
                }
                if (d.os != null) {
                    if (!$util.isObject(d.os))
                        throw TypeError(".snaptrail.v1.EnvironmentSnapshot.os: object expected");
                    m.os = $root.snaptrail.v1.OsInfo.fromObject(d.os, n + 1);
                }
                if (d.env) {
                    if (!Array.isArray(d.env))
                        throw TypeError(".snaptrail.v1.EnvironmentSnapshot.env: array expected");
                    m.env = [];
                    for (var i = 0; i < d.env.length; ++i) {
                        if (!$util.isObject(d.env[i]))
                            throw TypeError(".snaptrail.v1.EnvironmentSnapshot.env: object expected");
                        m.env[i] = $root.snaptrail.v1.EnvVar.fromObject(d.env[i], n + 1);
                    }
                }
                if (d.modules) {
                    if (!Array.isArray(d.modules))
                        throw TypeError(".snaptrail.v1.EnvironmentSnapshot.modules: array expected");
                    m.modules = [];
                    for (var i = 0; i < d.modules.length; ++i) {
                        m.modules[i] = String(d.modules[i]);
                    }
                }
                if (d.indexes != null) {
                    if (!$util.isObject(d.indexes))
                        throw TypeError(".snaptrail.v1.EnvironmentSnapshot.indexes: object expected");
                    m.indexes = $root.snaptrail.v1.PackageIndexes.fromObject(d.indexes, n + 1);
                }
                return m;
            };

            EnvironmentSnapshot.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.packages = [];
                    d.env = [];
                    d.modules = [];
                }
                if (o.defaults) {
                    d.interpreter = null;
                    d.image = null;
                    d.os = null;
                    d.indexes = null;
                }
                if (m.interpreter != null && Object.hasOwnProperty.call(m, "interpreter")) {
                    d.interpreter = $root.snaptrail.v1.Interpreter.toObject(m.interpreter, o, q + 1);
                }
                if (m.packages && m.packages.length) {
                    d.packages = [];
                    for (var j = 0; j < m.packages.length; ++j) {
                        d.packages[j] = $root.snaptrail.v1.Package.toObject(m.packages[j], o, q + 1);
                    }
                }
                if (m.image != null && Object.hasOwnProperty.call(m, "image")) {
                    d.image = $root.snaptrail.v1.ContainerImage.toObject(m.image, o, q + 1);
                }
                if (m.os != null && Object.hasOwnProperty.call(m, "os")) {
                    d.os = $root.snaptrail.v1.OsInfo.toObject(m.os, o, q + 1);
                }
                if (m.env && m.env.length) {
                    d.env = [];
                    for (var j = 0; j < m.env.length; ++j) {
                        d.env[j] = $root.snaptrail.v1.EnvVar.toObject(m.env[j], o, q + 1);
                    }
                }
                if (m.modules && m.modules.length) {
                    d.modules = [];
                    for (var j = 0; j < m.modules.length; ++j) {
                        d.modules[j] = m.modules[j];
                    }
                }
                if (m.indexes != null && Object.hasOwnProperty.call(m, "indexes")) {
                    d.indexes = $root.snaptrail.v1.PackageIndexes.toObject(m.indexes, o, q + 1);
                }
                return d;
            };

            EnvironmentSnapshot.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return EnvironmentSnapshot;
        })();

        v1.Gpu = (function() {

            function Gpu(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            Gpu.prototype.index = 0;
            Gpu.prototype.model = "";
            Gpu.prototype.uuid = "";
            Gpu.prototype.memoryMib = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            Gpu.prototype.driverVersion = "";

            Gpu.create = function create(properties) {
                return new Gpu(properties);
            };

            Gpu.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.index != null && Object.hasOwnProperty.call(m, "index"))
                    w.uint32(8).uint32(m.index);
                if (m.model != null && Object.hasOwnProperty.call(m, "model"))
                    w.uint32(18).string(m.model);
                if (m.uuid != null && Object.hasOwnProperty.call(m, "uuid"))
                    w.uint32(26).string(m.uuid);
                if (m.memoryMib != null && Object.hasOwnProperty.call(m, "memoryMib"))
                    w.uint32(32).uint64(m.memoryMib);
                if (m.driverVersion != null && Object.hasOwnProperty.call(m, "driverVersion"))
                    w.uint32(42).string(m.driverVersion);
                return w;
            };

            Gpu.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.Gpu();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.index = r.uint32();
                            break;
                        }
                    case 2: {
                            m.model = r.string();
                            break;
                        }
                    case 3: {
                            m.uuid = r.string();
                            break;
                        }
                    case 4: {
                            m.memoryMib = r.uint64();
                            break;
                        }
                    case 5: {
                            m.driverVersion = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            Gpu.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.Gpu)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.Gpu: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.Gpu();
                if (d.index != null) {
                    m.index = d.index >>> 0;
                }
                if (d.model != null) {
                    m.model = String(d.model);
                }
                if (d.uuid != null) {
                    m.uuid = String(d.uuid);
                }
                if (d.memoryMib != null) {
                    if ($util.Long)
                        m.memoryMib = $util.Long.fromValue(d.memoryMib, true);
                    else if (typeof d.memoryMib === "string")
                        m.memoryMib = parseInt(d.memoryMib, 10);
                    else if (typeof d.memoryMib === "number")
                        m.memoryMib = d.memoryMib;
                    else if (typeof d.memoryMib === "object")
                        m.memoryMib = new $util.LongBits(d.memoryMib.low >>> 0, d.memoryMib.high >>> 0).toNumber(true);
                }
                if (d.driverVersion != null) {
                    m.driverVersion = String(d.driverVersion);
                }
                return m;
            };

            Gpu.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.index = 0;
                    d.model = "";
                    d.uuid = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.memoryMib = o.longs === String ? n.toString() : o.longs === Number ? n.toNumber() : typeof BigInt !== "undefined" && o.longs === BigInt ? n.toBigInt() : n;
                    } else
                        d.memoryMib = o.longs === String ? "0" : typeof BigInt !== "undefined" && o.longs === BigInt ? BigInt("0") : 0;
                    d.driverVersion = "";
                }
                if (m.index != null && Object.hasOwnProperty.call(m, "index")) {
                    d.index = m.index;
                }
                if (m.model != null && Object.hasOwnProperty.call(m, "model")) {
                    d.model = m.model;
                }
                if (m.uuid != null && Object.hasOwnProperty.call(m, "uuid")) {
                    d.uuid = m.uuid;
                }
                if (m.memoryMib != null && Object.hasOwnProperty.call(m, "memoryMib")) {
                    if (typeof BigInt !== "undefined" && o.longs === BigInt)
                        d.memoryMib = typeof m.memoryMib === "number" ? BigInt(m.memoryMib) : $util.Long.fromBits(m.memoryMib.low >>> 0, m.memoryMib.high >>> 0, true).toBigInt();
                    else if (typeof m.memoryMib === "number")
                        d.memoryMib = o.longs === String ? String(m.memoryMib) : m.memoryMib;
                    else
                        d.memoryMib = o.longs === String ? $util.Long.prototype.toString.call(m.memoryMib) : o.longs === Number ? new $util.LongBits(m.memoryMib.low >>> 0, m.memoryMib.high >>> 0).toNumber(true) : m.memoryMib;
                }
                if (m.driverVersion != null && Object.hasOwnProperty.call(m, "driverVersion")) {
                    d.driverVersion = m.driverVersion;
                }
                return d;
            };

            Gpu.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return Gpu;
        })();

        v1.HostSnapshot = (function() {

            function HostSnapshot(p) {
                this.gpus = [];
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            HostSnapshot.prototype.hostname = "";
            HostSnapshot.prototype.arch = "";
            HostSnapshot.prototype.kernel = "";
            HostSnapshot.prototype.cpuModel = "";
            HostSnapshot.prototype.cpuCount = 0;
            HostSnapshot.prototype.memoryBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            HostSnapshot.prototype.gpus = $util.emptyArray;
            HostSnapshot.prototype.cudaDriverVersion = "";

            HostSnapshot.create = function create(properties) {
                return new HostSnapshot(properties);
            };

            HostSnapshot.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.hostname != null && Object.hasOwnProperty.call(m, "hostname"))
                    w.uint32(10).string(m.hostname);
                if (m.arch != null && Object.hasOwnProperty.call(m, "arch"))
                    w.uint32(18).string(m.arch);
                if (m.kernel != null && Object.hasOwnProperty.call(m, "kernel"))
                    w.uint32(26).string(m.kernel);
                if (m.cpuModel != null && Object.hasOwnProperty.call(m, "cpuModel"))
                    w.uint32(34).string(m.cpuModel);
                if (m.cpuCount != null && Object.hasOwnProperty.call(m, "cpuCount"))
                    w.uint32(40).uint32(m.cpuCount);
                if (m.memoryBytes != null && Object.hasOwnProperty.call(m, "memoryBytes"))
                    w.uint32(48).uint64(m.memoryBytes);
                if (m.gpus != null && m.gpus.length) {
                    for (var i = 0; i < m.gpus.length; ++i)
                        $root.snaptrail.v1.Gpu.encode(m.gpus[i], w.uint32(58).fork(), q + 1).ldelim();
                }
                if (m.cudaDriverVersion != null && Object.hasOwnProperty.call(m, "cudaDriverVersion"))
                    w.uint32(66).string(m.cudaDriverVersion);
                return w;
            };

            HostSnapshot.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.HostSnapshot();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.hostname = r.string();
                            break;
                        }
                    case 2: {
                            m.arch = r.string();
                            break;
                        }
                    case 3: {
                            m.kernel = r.string();
                            break;
                        }
                    case 4: {
                            m.cpuModel = r.string();
                            break;
                        }
                    case 5: {
                            m.cpuCount = r.uint32();
                            break;
                        }
                    case 6: {
                            m.memoryBytes = r.uint64();
                            break;
                        }
                    case 7: {
                            if (!(m.gpus && m.gpus.length))
                                m.gpus = [];
                            m.gpus.push($root.snaptrail.v1.Gpu.decode(r, r.uint32(), undefined, n + 1));
                            break;
                        }
                    case 8: {
                            m.cudaDriverVersion = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            HostSnapshot.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.HostSnapshot)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.HostSnapshot: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.HostSnapshot();
                if (d.hostname != null) {
                    m.hostname = String(d.hostname);
                }
                if (d.arch != null) {
                    m.arch = String(d.arch);
                }
                if (d.kernel != null) {
                    m.kernel = String(d.kernel);
                }
                if (d.cpuModel != null) {
                    m.cpuModel = String(d.cpuModel);
                }
                if (d.cpuCount != null) {
                    m.cpuCount = d.cpuCount >>> 0;
                }
                if (d.memoryBytes != null) {
                    if ($util.Long)
                        m.memoryBytes = $util.Long.fromValue(d.memoryBytes, true);
                    else if (typeof d.memoryBytes === "string")
                        m.memoryBytes = parseInt(d.memoryBytes, 10);
                    else if (typeof d.memoryBytes === "number")
                        m.memoryBytes = d.memoryBytes;
                    else if (typeof d.memoryBytes === "object")
                        m.memoryBytes = new $util.LongBits(d.memoryBytes.low >>> 0, d.memoryBytes.high >>> 0).toNumber(true);
                }
                if (d.gpus) {
                    if (!Array.isArray(d.gpus))
                        throw TypeError(".snaptrail.v1.HostSnapshot.gpus: array expected");
                    m.gpus = [];
                    for (var i = 0; i < d.gpus.length; ++i) {
                        if (!$util.isObject(d.gpus[i]))
                            throw TypeError(".snaptrail.v1.HostSnapshot.gpus: object expected");
                        m.gpus[i] = $root.snaptrail.v1.Gpu.fromObject(d.gpus[i], n + 1);
                    }
                }
                if (d.cudaDriverVersion != null) {
                    m.cudaDriverVersion = String(d.cudaDriverVersion);
                }
                return m;
            };

            HostSnapshot.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.gpus = [];
                }
                if (o.defaults) {
                    d.hostname = "";
                    d.arch = "";
                    d.kernel = "";
                    d.cpuModel = "";
                    d.cpuCount = 0;
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.memoryBytes = o.longs === String ? n.toString() : o.longs === Number ? n.toNumber() : typeof BigInt !== "undefined" && o.longs === BigInt ? n.toBigInt() : n;
                    } else
                        d.memoryBytes = o.longs === String ? "0" : typeof BigInt !== "undefined" && o.longs === BigInt ? BigInt("0") : 0;
                    d.cudaDriverVersion = "";
                }
                if (m.hostname != null && Object.hasOwnProperty.call(m, "hostname")) {
                    d.hostname = m.hostname;
                }
                if (m.arch != null && Object.hasOwnProperty.call(m, "arch")) {
                    d.arch = m.arch;
                }
                if (m.kernel != null && Object.hasOwnProperty.call(m, "kernel")) {
                    d.kernel = m.kernel;
                }
                if (m.cpuModel != null && Object.hasOwnProperty.call(m, "cpuModel")) {
                    d.cpuModel = m.cpuModel;
                }
                if (m.cpuCount != null && Object.hasOwnProperty.call(m, "cpuCount")) {
                    d.cpuCount = m.cpuCount;
                }
                if (m.memoryBytes != null && Object.hasOwnProperty.call(m, "memoryBytes")) {
                    if (typeof BigInt !== "undefined" && o.longs === BigInt)
                        d.memoryBytes = typeof m.memoryBytes === "number" ? BigInt(m.memoryBytes) : $util.Long.fromBits(m.memoryBytes.low >>> 0, m.memoryBytes.high >>> 0, true).toBigInt();
                    else if (typeof m.memoryBytes === "number")
                        d.memoryBytes = o.longs === String ? String(m.memoryBytes) : m.memoryBytes;
                    else
                        d.memoryBytes = o.longs === String ? $util.Long.prototype.toString.call(m.memoryBytes) : o.longs === Number ? new $util.LongBits(m.memoryBytes.low >>> 0, m.memoryBytes.high >>> 0).toNumber(true) : m.memoryBytes;
                }
                if (m.gpus && m.gpus.length) {
                    d.gpus = [];
                    for (var j = 0; j < m.gpus.length; ++j) {
                        d.gpus[j] = $root.snaptrail.v1.Gpu.toObject(m.gpus[j], o, q + 1);
                    }
                }
                if (m.cudaDriverVersion != null && Object.hasOwnProperty.call(m, "cudaDriverVersion")) {
                    d.cudaDriverVersion = m.cudaDriverVersion;
                }
                return d;
            };

            HostSnapshot.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return HostSnapshot;
        })();

        v1.GitInfo = (function() {

            function GitInfo(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            GitInfo.prototype.commit = "";
            GitInfo.prototype.branch = "";
            GitInfo.prototype.remoteUrl = "";
            GitInfo.prototype.dirty = false;
            GitInfo.prototype.patch = "";

            GitInfo.create = function create(properties) {
                return new GitInfo(properties);
            };

            GitInfo.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.commit != null && Object.hasOwnProperty.call(m, "commit"))
                    w.uint32(10).string(m.commit);
                if (m.branch != null && Object.hasOwnProperty.call(m, "branch"))
                    w.uint32(18).string(m.branch);
                if (m.remoteUrl != null && Object.hasOwnProperty.call(m, "remoteUrl"))
                    w.uint32(26).string(m.remoteUrl);
                if (m.dirty != null && Object.hasOwnProperty.call(m, "dirty"))
                    w.uint32(32).bool(m.dirty);
                if (m.patch != null && Object.hasOwnProperty.call(m, "patch"))
                    w.uint32(42).string(m.patch);
                return w;
            };

            GitInfo.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.GitInfo();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.commit = r.string();
                            break;
                        }
                    case 2: {
                            m.branch = r.string();
                            break;
                        }
                    case 3: {
                            m.remoteUrl = r.string();
                            break;
                        }
                    case 4: {
                            m.dirty = r.bool();
                            break;
                        }
                    case 5: {
                            m.patch = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            GitInfo.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.GitInfo)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.GitInfo: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.GitInfo();
                if (d.commit != null) {
                    m.commit = String(d.commit);
                }
                if (d.branch != null) {
                    m.branch = String(d.branch);
                }
                if (d.remoteUrl != null) {
                    m.remoteUrl = String(d.remoteUrl);
                }
                if (d.dirty != null) {
                    m.dirty = Boolean(d.dirty);
                }
                if (d.patch != null) {
                    m.patch = String(d.patch);
                }
                return m;
            };

            GitInfo.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.commit = "";
                    d.branch = "";
                    d.remoteUrl = "";
                    d.dirty = false;
                    d.patch = "";
                }
                if (m.commit != null && Object.hasOwnProperty.call(m, "commit")) {
                    d.commit = m.commit;
                }
                if (m.branch != null && Object.hasOwnProperty.call(m, "branch")) {
                    d.branch = m.branch;
                }
                if (m.remoteUrl != null && Object.hasOwnProperty.call(m, "remoteUrl")) {
                    d.remoteUrl = m.remoteUrl;
                }
                if (m.dirty != null && Object.hasOwnProperty.call(m, "dirty")) {
                    d.dirty = m.dirty;
                }
                if (m.patch != null && Object.hasOwnProperty.call(m, "patch")) {
                    d.patch = m.patch;
                }
                return d;
            };

            GitInfo.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return GitInfo;
        })();

        v1.FileEntry = (function() {

            function FileEntry(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            FileEntry.prototype.path = "";
            FileEntry.prototype.sha256 = "";
            FileEntry.prototype.size = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            FileEntry.prototype.mode = 0;

            FileEntry.create = function create(properties) {
                return new FileEntry(properties);
            };

            FileEntry.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.path != null && Object.hasOwnProperty.call(m, "path"))
                    w.uint32(10).string(m.path);
                if (m.sha256 != null && Object.hasOwnProperty.call(m, "sha256"))
                    w.uint32(18).string(m.sha256);
                if (m.size != null && Object.hasOwnProperty.call(m, "size"))
                    w.uint32(24).uint64(m.size);
                if (m.mode != null && Object.hasOwnProperty.call(m, "mode"))
                    w.uint32(32).uint32(m.mode);
                return w;
            };

            FileEntry.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.FileEntry();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.path = r.string();
                            break;
                        }
                    case 2: {
                            m.sha256 = r.string();
                            break;
                        }
                    case 3: {
                            m.size = r.uint64();
                            break;
                        }
                    case 4: {
                            m.mode = r.uint32();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            FileEntry.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.FileEntry)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.FileEntry: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.FileEntry();
                if (d.path != null) {
                    m.path = String(d.path);
                }
                if (d.sha256 != null) {
                    m.sha256 = String(d.sha256);
                }
                if (d.size != null) {
                    if ($util.Long)
                        m.size = $util.Long.fromValue(d.size, true);
                    else if (typeof d.size === "string")
                        m.size = parseInt(d.size, 10);
                    else if (typeof d.size === "number")
                        m.size = d.size;
                    else if (typeof d.size === "object")
                        m.size = new $util.LongBits(d.size.low >>> 0, d.size.high >>> 0).toNumber(true);
                }
                if (d.mode != null) {
                    m.mode = d.mode >>> 0;
                }
                return m;
            };

            FileEntry.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.path = "";
                    d.sha256 = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.size = o.longs === String ? n.toString() : o.longs === Number ? n.toNumber() : typeof BigInt !== "undefined" && o.longs === BigInt ? n.toBigInt() : n;
                    } else
                        d.size = o.longs === String ? "0" : typeof BigInt !== "undefined" && o.longs === BigInt ? BigInt("0") : 0;
                    d.mode = 0;
                }
                if (m.path != null && Object.hasOwnProperty.call(m, "path")) {
                    d.path = m.path;
                }
                if (m.sha256 != null && Object.hasOwnProperty.call(m, "sha256")) {
                    d.sha256 = m.sha256;
                }
                if (m.size != null && Object.hasOwnProperty.call(m, "size")) {
                    if (typeof BigInt !== "undefined" && o.longs === BigInt)
                        d.size = typeof m.size === "number" ? BigInt(m.size) : $util.Long.fromBits(m.size.low >>> 0, m.size.high >>> 0, true).toBigInt();
                    else if (typeof m.size === "number")
                        d.size = o.longs === String ? String(m.size) : m.size;
                    else
                        d.size = o.longs === String ? $util.Long.prototype.toString.call(m.size) : o.longs === Number ? new $util.LongBits(m.size.low >>> 0, m.size.high >>> 0).toNumber(true) : m.size;
                }
                if (m.mode != null && Object.hasOwnProperty.call(m, "mode")) {
                    d.mode = m.mode;
                }
                return d;
            };

            FileEntry.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return FileEntry;
        })();

        v1.LeftOutFile = (function() {

            function LeftOutFile(p) {
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            LeftOutFile.prototype.path = "";
            LeftOutFile.prototype.reason = "";

            LeftOutFile.create = function create(properties) {
                return new LeftOutFile(properties);
            };

            LeftOutFile.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.path != null && Object.hasOwnProperty.call(m, "path"))
                    w.uint32(10).string(m.path);
                if (m.reason != null && Object.hasOwnProperty.call(m, "reason"))
                    w.uint32(18).string(m.reason);
                return w;
            };

            LeftOutFile.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.LeftOutFile();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.path = r.string();
                            break;
                        }
                    case 2: {
                            m.reason = r.string();
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            LeftOutFile.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.LeftOutFile)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.LeftOutFile: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.LeftOutFile();
                if (d.path != null) {
                    m.path = String(d.path);
                }
                if (d.reason != null) {
                    m.reason = String(d.reason);
                }
                return m;
            };

            LeftOutFile.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.defaults) {
                    d.path = "";
                    d.reason = "";
                }
                if (m.path != null && Object.hasOwnProperty.call(m, "path")) {
                    d.path = m.path;
                }
                if (m.reason != null && Object.hasOwnProperty.call(m, "reason")) {
                    d.reason = m.reason;
                }
                return d;
            };

            LeftOutFile.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return LeftOutFile;
        })();

        v1.CodeSnapshot = (function() {

            function CodeSnapshot(p) {
                this.files = [];
                this.leftOut = [];
                if (p)
                    for (var ks = Object.keys(p), i = 0; i < ks.length; ++i)
                        if (p[ks[i]] != null && ks[i] !== "__proto__")
                            this[ks[i]] = p[ks[i]];
            }

            CodeSnapshot.prototype.root = "";
            CodeSnapshot.prototype.git = null;
            CodeSnapshot.prototype.files = $util.emptyArray;
            CodeSnapshot.prototype.archiveDigest = "";
            CodeSnapshot.prototype.archiveBytes = $util.Long ? $util.Long.fromBits(0,0,true) : 0;
            CodeSnapshot.prototype.leftOut = $util.emptyArray;

            CodeSnapshot.create = function create(properties) {
                return new CodeSnapshot(properties);
            };

            CodeSnapshot.encode = function encode(m, w, q) {
                if (!w)
                    w = $Writer.create();
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                if (m.root != null && Object.hasOwnProperty.call(m, "root"))
                    w.uint32(10).string(m.root);
                if (m.git != null && Object.hasOwnProperty.call(m, "git"))
                    $root.snaptrail.v1.GitInfo.encode(m.git, w.uint32(18).fork(), q + 1).ldelim();
                if (m.files != null && m.files.length) {
                    for (var i = 0; i < m.files.length; ++i)
                        $root.snaptrail.v1.FileEntry.encode(m.files[i], w.uint32(26).fork(), q + 1).ldelim();
                }
                if (m.archiveDigest != null && Object.hasOwnProperty.call(m, "archiveDigest"))
                    w.uint32(34).string(m.archiveDigest);
                if (m.archiveBytes != null && Object.hasOwnProperty.call(m, "archiveBytes"))
                    w.uint32(40).uint64(m.archiveBytes);
                if (m.leftOut != null && m.leftOut.length) {
                    for (var i = 0; i < m.leftOut.length; ++i)
                        $root.snaptrail.v1.LeftOutFile.encode(m.leftOut[i], w.uint32(50).fork(), q + 1).ldelim();
                }
                return w;
            };

            CodeSnapshot.decode = function decode(r, l, e, n) {
                if (!(r instanceof $Reader))
                    r = $Reader.create(r);
                if (n === undefined)
                    n = 0;
                if (n > $Reader.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var c, m;
                if (l === undefined)
                    c = r.len;
                else {
                    c = r.pos + l;
                    if (c > r.len)
                        throw RangeError("index out of range");
                    l = r.len;
                    r.len = c;
                }
                m = new $root.snaptrail.v1.CodeSnapshot();
                while (r.pos < c) {
                    var t = r.uint32();
                    if (t === e)
                        break;
                    switch (t >>> 3) {
                    case 1: {
                            m.root = r.string();
                            break;
                        }
                    case 2: {
                            m.git = $root.snaptrail.v1.GitInfo.decode(r, r.uint32(), undefined, n + 1);
                            break;
                        }
                    case 3: {
                            if (!(m.files && m.files.length))
                                m.files = [];
                            m.files.push($root.snaptrail.v1.FileEntry.decode(r, r.uint32(), undefined, n + 1));
                            break;
                        }
                    case 4: {
                            m.archiveDigest = r.string();
                            break;
                        }
                    case 5: {
                            m.archiveBytes = r.uint64();
                            break;
                        }
                    case 6: {
                            if (!(m.leftOut && m.leftOut.length))
                                m.leftOut = [];
                            m.leftOut.push($root.snaptrail.v1.LeftOutFile.decode(r, r.uint32(), undefined, n + 1));
                            break;
                        }
                    default:
                        r.skipType(t & 7, n);
                        break;
                    }
                }
                if (l !== undefined) {
                    if (r.pos !== c)
                        throw RangeError("index out of range");
                    r.len = l;
                }
                return m;
            };

            CodeSnapshot.fromObject = function fromObject(d, n) {
                if (d instanceof $root.snaptrail.v1.CodeSnapshot)
                    return d;
                if (!$util.isObject(d))
                    throw TypeError(".snaptrail.v1.CodeSnapshot: object expected");
                if (n === undefined)
                    n = 0;
                if (n > $util.recursionLimit)
                    throw Error("maximum nesting depth exceeded");
                var m = new $root.snaptrail.v1.CodeSnapshot();
                if (d.root != null) {
                    m.root = String(d.root);
                }
                if (d.git != null) {
                    if (!$util.isObject(d.git))
                        throw TypeError(".snaptrail.v1.CodeSnapshot.git: object expected");
                    m.git = $root.snaptrail.v1.GitInfo.fromObject(d.git, n + 1);
                }
                if (d.files) {
                    if (!Array.isArray(d.files))
                        throw TypeError(".snaptrail.v1.CodeSnapshot.files: array expected");
                    m.files = [];
                    for (var i = 0; i < d.files.length; ++i) {
                        if (!$util.isObject(d.files[i]))
                            throw TypeError(".snaptrail.v1.CodeSnapshot.files: object expected");
                        m.files[i] = $root.snaptrail.v1.FileEntry.fromObject(d.files[i], n + 1);
                    }
                }
                if (d.archiveDigest != null) {
                    m.archiveDigest = String(d.archiveDigest);
                }
                if (d.archiveBytes != null) {
                    if ($util.Long)
                        m.archiveBytes = $util.Long.fromValue(d.archiveBytes, true);
                    else if (typeof d.archiveBytes === "string")
                        m.archiveBytes = parseInt(d.archiveBytes, 10);
                    else if (typeof d.archiveBytes === "number")
                        m.archiveBytes = d.archiveBytes;
                    else if (typeof d.archiveBytes === "object")
                        m.archiveBytes = new $util.LongBits(d.archiveBytes.low >>> 0, d.archiveBytes.high >>> 0).toNumber(true);
                }
                if (d.leftOut) {
                    if (!Array.isArray(d.leftOut))
                        throw TypeError(".snaptrail.v1.CodeSnapshot.leftOut: array expected");
                    m.leftOut = [];
                    for (var i = 0; i < d.leftOut.length; ++i) {
                        if (!$util.isObject(d.leftOut[i]))
                            throw TypeError(".snaptrail.v1.CodeSnapshot.leftOut: object expected");
                        m.leftOut[i] = $root.snaptrail.v1.LeftOutFile.fromObject(d.leftOut[i], n + 1);
                    }
                }
                return m;
            };

            CodeSnapshot.toObject = function toObject(m, o, q) {
                if (!o)
                    o = {};
                if (q === undefined)
                    q = 0;
                if (q > $util.recursionLimit)
                    throw Error("max depth exceeded");
                var d = {};
                if (o.arrays || o.defaults) {
                    d.files = [];
                    d.leftOut = [];
                }
                if (o.defaults) {
                    d.root = "";
                    d.git = null;
                    d.archiveDigest = "";
                    if ($util.Long) {
                        var n = new $util.Long(0, 0, true);
                        d.archiveBytes = o.longs === String ? n.toString() : o.longs === Number ? n.toNumber() : typeof BigInt !== "undefined" && o.longs === BigInt ? n.toBigInt() : n;
                    } else
                        d.archiveBytes = o.longs === String ? "0" : typeof BigInt !== "undefined" && o.longs === BigInt ? BigInt("0") : 0;
                }
                if (m.root != null && Object.hasOwnProperty.call(m, "root")) {
                    d.root = m.root;
                }
                if (m.git != null && Object.hasOwnProperty.call(m, "git")) {
                    d.git = $root.snaptrail.v1.GitInfo.toObject(m.git, o, q + 1);
                }
                if (m.files && m.files.length) {
                    d.files = [];
                    for (var j = 0; j < m.files.length; ++j) {
                        d.files[j] = $root.snaptrail.v1.FileEntry.toObject(m.files[j], o, q + 1);
                    }
                }
                if (m.archiveDigest != null && Object.hasOwnProperty.call(m, "archiveDigest")) {
                    d.archiveDigest = m.archiveDigest;
                }
                if (m.archiveBytes != null && Object.hasOwnProperty.call(m, "archiveBytes")) {
                    if (typeof BigInt !== "undefined" && o.longs === BigInt)
                        d.archiveBytes = typeof m.archiveBytes === "number" ? BigInt(m.archiveBytes) : $util.Long.fromBits(m.archiveBytes.low >>> 0, m.archiveBytes.high >>> 0, true).toBigInt();
                    else if (typeof m.archiveBytes === "number")
                        d.archiveBytes = o.longs === String ? String(m.archiveBytes) : m.archiveBytes;
                    else
                        d.archiveBytes = o.longs === String ? $util.Long.prototype.toString.call(m.archiveBytes) : o.longs === Number ? new $util.LongBits(m.archiveBytes.low >>> 0, m.archiveBytes.high >>> 0).toNumber(true) : m.archiveBytes;
                }
                if (m.leftOut && m.leftOut.length) {
                    d.leftOut = [];
                    for (var j = 0; j < m.leftOut.length; ++j) {
                        d.leftOut[j] = $root.snaptrail.v1.LeftOutFile.toObject(m.leftOut[j], o, q + 1);
                    }
                }
                return d;
            };

            CodeSnapshot.prototype.toJSON = function toJSON() {
                return this.constructor.toObject(this, $protobuf.util.toJSONOptions);
            };

            return CodeSnapshot;
        })();

        return v1;
    })();

    return snaptrail;
})();

module.exports = $root;
