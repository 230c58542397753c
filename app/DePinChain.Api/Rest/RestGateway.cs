using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using DePinChain.Api.Grpc;
using DePinChain.App;
using Google.Protobuf;
using Google.Protobuf.Reflection;
using Grpc.Core;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace DePinChain.Api.Rest;

/// <summary>
/// The SDK's REST gateway (grpc-gateway), without the transport: the routes of every rpc <see cref="GrpcApi"/> serves,
/// read from their <c>option (google.api.http)</c> annotations when it is built (an rpc without one is an error, so
/// a new module's queries cannot be left out), and each request turned into the rpc's request message, answered
/// by <see cref="GrpcApi.Answer"/> (the same query router as gRPC and ABCI Query) and written as the gateway's JSON.
/// </summary>
public sealed class RestGateway
{
    /// <summary>What grpc-gateway writes the height header as in a response (it prefixes gRPC response metadata).</summary>
    public const string GatewayHeightHeader = "Grpc-Metadata-X-Cosmos-Block-Height";

    private readonly GrpcApi _api;
    private readonly GatewayJson _json;
    private readonly bool _cors;

    private readonly HashSet<string> _origins;

    /// <param name="allowedOrigins">Web origins (e.g. the node's own explorer, http://127.0.0.1:1318) answered with CORS
    /// headers naming them, when <paramref name="enableUnsafeCors"/> does not open the API to every origin.</param>
    public RestGateway(GrpcApi api, TypeRegistry types, bool enableUnsafeCors = false, IEnumerable<string>? allowedOrigins = null)
    {
        _api = api;
        _json = new GatewayJson(types);
        _cors = enableUnsafeCors;
        _origins = new HashSet<string>(allowedOrigins ?? [], StringComparer.OrdinalIgnoreCase);
        Routes = [.. api.Services.SelectMany(s => s.Methods).SelectMany(RestRoute.Of)];
        foreach (var group in Routes.GroupBy(r => (r.Verb, Shape: string.Join('/', r.Segments.Select(s => s.Literal ?? "{}")))))
            if (group.Count() > 1)
                throw new InvalidOperationException($"REST routes collide: {string.Join("; ", group)}");
        _byShape = Routes.Where(r => !TakesRestOfPath(r)).GroupBy(r => (r.Verb, r.Segments.Count)).ToDictionary(g => g.Key, g => g.ToArray());
        _restOfPath = [.. Routes.Where(TakesRestOfPath)];
    }

    private static bool TakesRestOfPath(RestRoute r) => r.Segments.Any(s => s.RestOfPath);

    // The few routes with a variable that takes several segments ({hash=**}): tried on every request.
    private readonly RestRoute[] _restOfPath;

    // The routes by verb and segment count (in Routes order): a request is matched against the few that can match.
    private readonly Dictionary<(string Verb, int Segments), RestRoute[]> _byShape;

    /// <summary>Every route, in the order of <see cref="GrpcApi.Services"/> and their methods.</summary>
    public IReadOnlyList<RestRoute> Routes { get; }

    /// <summary>Finds the route of a request path (decoded segments, without the leading slash): of the templates that
    /// match, the one with a literal where the others have a variable, first from the left.</summary>
    public (RestRoute Route, List<(FieldPath Field, string Value)> Values)? Find(string verb, IReadOnlyList<string> path)
    {
        (RestRoute, List<(FieldPath, string)>)? best = null;
        if (_byShape.TryGetValue((verb, path.Count), out var sameShape))
            foreach (var route in sameShape) Consider(route);
        foreach (var route in _restOfPath)
            if (route.Verb == verb) Consider(route);
        return best;

        void Consider(RestRoute route)
        {
            if (route.Match(path) is not { } values) return;
            if (best is null || MoreLiteral(route, best.Value.Item1)) best = (route, values);
        }
    }

    private static bool MoreLiteral(RestRoute a, RestRoute b)
    {
        for (int i = 0; i < Math.Min(a.Segments.Count, b.Segments.Count); i++)
        {
            bool la = a.Segments[i].Literal is not null, lb = b.Segments[i].Literal is not null;
            if (la != lb) return la;
        }
        return false;
    }

    public async Task HandleAsync(HttpContext context)
    {
        HttpRequest request = context.Request;
        HttpResponse response = context.Response;
        string origin = request.Headers.Origin.ToString();
        bool allowed = !_cors && origin.Length > 0 && _origins.Contains(origin);
        if (_cors || allowed)
        {
            response.Headers.AccessControlAllowOrigin = allowed ? origin : "*";
            if (allowed) response.Headers.Vary = "Origin";
            response.Headers.AccessControlExposeHeaders = $"{GrpcApi.BlockHeightHeader}, {GatewayHeightHeader}";
            if (HttpMethods.IsOptions(request.Method))
            {
                response.Headers.AccessControlAllowMethods = "GET, POST, OPTIONS";
                response.Headers.AccessControlAllowHeaders = request.Headers.AccessControlRequestHeaders.Count > 0
                    ? request.Headers.AccessControlRequestHeaders.ToString()
                    : $"Content-Type, {GrpcApi.BlockHeightHeader}";
                response.Headers.AccessControlMaxAge = "600";
                response.StatusCode = StatusCodes.Status204NoContent;
                return;
            }
        }

        // The raw target, so an escaped '/' (%2F) in a value stays inside its segment.
        string target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? request.Path.Value ?? "/";
        int q = target.IndexOf('?', StringComparison.Ordinal);
        string rawPath = q >= 0 ? target[..q] : target;
        if (!rawPath.StartsWith('/'))
        {
            await WriteErrorAsync(response, StatusCode.NotFound, "Not Found").ConfigureAwait(false);
            return;
        }
        string[] segments = [.. rawPath[1..].Split('/').Select(Uri.UnescapeDataString)];
        string verb = HttpMethods.IsHead(request.Method) ? "GET" : request.Method.ToUpperInvariant();
        if (Find(verb, segments) is not { } found)
        {
            // grpc-gateway's answer to a path no route matches.
            await WriteErrorAsync(response, StatusCode.NotFound, "Not Found").ConfigureAwait(false);
            return;
        }
        var (route, pathValues) = found;

        IMessage message;
        long height;
        try
        {
            message = await RequestMessageAsync(route, pathValues, request).ConfigureAwait(false);
            height = RequestedHeight(request);
        }
        catch (Exception e) when (e is FormatException or InvalidProtocolBufferException or InvalidJsonException or JsonException)
        {
            await WriteErrorAsync(response, StatusCode.InvalidArgument, e.Message).ConfigureAwait(false);
            return;
        }

        string path = GrpcApi.PathOf(route.Method);
        AppQueryResult result;
        if (Comet.CometServices.Serves(path))
        {
            // Answered from CometBFT's RPC (txs, blocks, node info): at CometBFT's latest height, not the app's.
            try
            {
                byte[] answer = await _api.Comet.AnswerAsync(path, message.ToByteArray(), context.RequestAborted).ConfigureAwait(false);
                result = AppQueryResult.Ok(_api.LatestHeight, ByteString.CopyFrom(answer));
            }
            catch (RpcException e)
            {
                string latest = _api.LatestHeight.ToString(CultureInfo.InvariantCulture);
                response.Headers[GrpcApi.BlockHeightHeader] = latest;
                response.Headers[GatewayHeightHeader] = latest;
                await WriteErrorAsync(response, e.StatusCode, e.Status.Detail).ConfigureAwait(false);
                return;
            }
        }
        else result = _api.Answer(path, message.ToByteString(), height);
        string answered = result.Height.ToString(CultureInfo.InvariantCulture);
        response.Headers[GrpcApi.BlockHeightHeader] = answered;
        response.Headers[GatewayHeightHeader] = answered;
        if (result.Code != 0)
        {
            await WriteErrorAsync(response, GrpcStatusMap.For(result), result.Log).ConfigureAwait(false);
            return;
        }
        var json = new System.Buffers.ArrayBufferWriter<byte>(result.Value.Length * 4 + 256);
        try
        {
            _json.Write(route.Method.OutputType.Parser.ParseFrom(result.Value), json);
        }
        catch (Exception e) when (e is InvalidProtocolBufferException or InvalidOperationException or FormatException)
        {
            // An answer the gateway cannot write (an Any of a type it does not know): the gateway's own failure.
            await WriteErrorAsync(response, StatusCode.Internal, e.Message).ConfigureAwait(false);
            return;
        }
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        // With its length: a chunked body of a large answer is sent in more pieces.
        response.ContentLength = json.WrittenCount;
        await response.Body.WriteAsync(json.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The request message: the body (for a route with one), then the query string's fields (a route without a
    /// "*" body), then the path's variables, which win over the same field given elsewhere. Query parameters naming no
    /// field are ignored, as grpc-gateway ignores them.</summary>
    private async Task<IMessage> RequestMessageAsync(RestRoute route, List<(FieldPath Field, string Value)> pathValues, HttpRequest request)
    {
        if (route.PathSetsPlainStrings && !request.QueryString.HasValue) return PlainStringRequest(route, pathValues);
        var json = new JsonObject();
        if (route.Body.Length > 0)
        {
            using var reader = new StreamReader(request.Body, Encoding.UTF8);
            string body = await reader.ReadToEndAsync().ConfigureAwait(false);
            if (body.Length > 0)
            {
                JsonNode? node = JsonNode.Parse(body);
                if (route.Body == "*")
                    json = node as JsonObject ?? throw new FormatException($"the body of {route.Template} must be a JSON object");
                else
                    json[route.Body] = node;
            }
        }
        var fromPath = new HashSet<string>(pathValues.Select(v => v.Field.Name), StringComparer.Ordinal);
        if (route.Body != "*")
        {
            foreach (var (key, values) in request.Query)
            {
                if (FieldPath.Resolve(route.Method.InputType, key) is not { } field || fromPath.Contains(field.Name)) continue;
                foreach (string? value in values)
                    Set(json, field, value ?? "");
            }
        }
        foreach (var (field, value) in pathValues)
        {
            // As grpc-gateway: a repeated field in the path is comma-separated (ibc-go's .../{packet_commitment_sequences}/unreceived_packets).
            if (field.Leaf.IsRepeated)
            {
                foreach (var item in value.Split(',')) Set(json, field, item);
            }
            else Set(json, field, value);
        }
        return _json.Parse(json, route.Method.InputType);
    }

    /// <summary>The request of a <see cref="RestRoute.PathSetsPlainStrings"/> route asked without a query string: the common
    /// query (balances/{address}) built without a JSON document in between.</summary>
    public static IMessage PlainStringRequest(RestRoute route, List<(FieldPath Field, string Value)> pathValues)
    {
        if (!route.PathSetsPlainStrings) throw new ArgumentException($"{route} has a body or non-string path variables", nameof(route));
        IMessage message = route.Method.InputType.Parser.ParseFrom(ByteString.Empty);
        foreach (var (field, value) in pathValues) field.Leaf.Accessor.SetValue(message, value);
        return message;
    }

    private static void Set(JsonObject json, FieldPath path, string value)
    {
        JsonObject target = json;
        foreach (var field in path.Fields.Take(path.Fields.Count - 1))
        {
            if (target[field.Name] is not JsonObject inner)
            {
                inner = new JsonObject();
                target[field.Name] = inner;
            }
            target = inner;
        }
        var leaf = path.Leaf;
        JsonNode node = GatewayJson.ValueFor(leaf, value);
        if (!leaf.IsRepeated)
        {
            target[leaf.Name] = node;
            return;
        }
        if (target[leaf.Name] is not JsonArray array)
        {
            array = [];
            target[leaf.Name] = array;
        }
        array.Add(node);
    }

    /// <summary>The <c>x-cosmos-block-height</c> request header, with the gRPC server's rules.</summary>
    private static long RequestedHeight(HttpRequest request)
    {
        string? text = request.Headers[GrpcApi.BlockHeightHeader];
        if (string.IsNullOrEmpty(text)) return 0;
        return long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out long height)
            ? height
            : throw new FormatException($"invalid height header \"{GrpcApi.BlockHeightHeader}: {text}\": want a non-negative integer");
    }

    /// <summary>grpc-gateway's error body, <c>{"code":N,"message":"...","details":[]}</c>, with its HTTP status for the code.</summary>
    private static Task WriteErrorAsync(HttpResponse response, StatusCode code, string message)
    {
        response.StatusCode = HttpStatusOf(code);
        response.ContentType = "application/json";
        var body = new JsonObject { ["code"] = (int)code, ["message"] = message, ["details"] = new JsonArray() };
        return response.WriteAsync(body.ToJsonString(DePinChain.Sdk.CosmosJson.TextOptions));
    }

    /// <summary>grpc-gateway's <c>HTTPStatusFromCode</c>.</summary>
    public static int HttpStatusOf(StatusCode code) => code switch
    {
        StatusCode.OK => 200,
        StatusCode.Cancelled => 499,
        StatusCode.Unknown => 500,
        StatusCode.InvalidArgument => 400,
        StatusCode.DeadlineExceeded => 504,
        StatusCode.NotFound => 404,
        StatusCode.AlreadyExists => 409,
        StatusCode.PermissionDenied => 403,
        StatusCode.Unauthenticated => 401,
        StatusCode.ResourceExhausted => 429,
        StatusCode.FailedPrecondition => 400,
        StatusCode.Aborted => 409,
        StatusCode.OutOfRange => 400,
        StatusCode.Unimplemented => 501,
        StatusCode.Internal => 500,
        StatusCode.Unavailable => 503,
        StatusCode.DataLoss => 500,
        _ => 500,
    };
}
