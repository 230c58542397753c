using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace DePinChain.Api.Explorer;

/// <summary>
/// Serves the block explorer: static files (HTML, JS, CSS, Leaflet and the Natural Earth basemap, bundled at build time)
/// and <c>/config.json</c>, which tells the page the REST gateway's URL. The page reads the chain only through that public
/// REST API, so the same files work against a remote node.
/// </summary>
public sealed class ExplorerServer : IAsyncDisposable
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.OrdinalIgnoreCase)
    {
        [".html"] = "text/html; charset=utf-8", [".js"] = "text/javascript; charset=utf-8", [".css"] = "text/css; charset=utf-8",
        [".json"] = "application/json", [".png"] = "image/png", [".svg"] = "image/svg+xml", [".ico"] = "image/x-icon",
    };

    private readonly ExplorerOptions _options;
    private readonly IPEndPoint _endPoint;
    private readonly string _root;
    private byte[] _config = [];
    private readonly ILogger _logger;
    private ApiHost? _host;

    /// <exception cref="FormatException">The options' address does not parse.</exception>
    /// <exception cref="DirectoryNotFoundException">The static files are missing (the build did not copy them).</exception>
    public ExplorerServer(ExplorerOptions options, ILoggerFactory loggerFactory)
    {
        _options = options;
        _endPoint = ExplorerOptions.ParseAddress(options.Address);
        _root = Path.GetFullPath(options.Root ?? DefaultRoot);
        if (!File.Exists(Path.Combine(_root, "index.html")))
            throw new DirectoryNotFoundException($"the explorer's files are not in {_root} (build the app after `make setup`)");
        ApiUrl = options.ApiUrl;
        _logger = loggerFactory.CreateLogger<ExplorerServer>();
    }

    /// <summary><c>explorer</c> beside this assembly, where the Api project's build copies wwwroot and the npm assets.</summary>
    public static string DefaultRoot => Path.Combine(AppContext.BaseDirectory, "explorer");

    /// <summary>The REST gateway's URL /config.json gives the page; settable once the gateway has bound its real port.</summary>
    public string ApiUrl
    {
        get;
        set
        {
            field = value.TrimEnd('/');
            _config = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["api"] = field });
        }
    } = "";

    /// <summary>Once started: <c>host:port</c> as bound (the real port when 0 was asked for).</summary>
    public string ListenAddress { get; private set; } = "";

    /// <exception cref="IOException">The address cannot be bound.</exception>
    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_host is not null) throw new InvalidOperationException("The explorer server is already started.");
        WebApplicationBuilder builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Listen(_endPoint, listen => listen.Protocols = HttpProtocols.Http1);
        });
        WebApplication web = builder.Build();
        web.Run(HandleAsync);
        _host = await ApiHost.StartAsync(web, cancellationToken).ConfigureAwait(false);
        ListenAddress = _host.ListenAddress;
        _logger.LogInformation("Serving the explorer on http://{Address} (its page reads the REST API at {Api})", ListenAddress, ApiUrl);
    }

    private async Task HandleAsync(HttpContext context)
    {
        HttpResponse response = context.Response;
        if (!HttpMethods.IsGet(context.Request.Method) && !HttpMethods.IsHead(context.Request.Method))
        {
            response.StatusCode = StatusCodes.Status405MethodNotAllowed;
            return;
        }
        string path = context.Request.Path.Value ?? "/";
        if (path == "/config.json")
        {
            response.ContentType = "application/json";
            response.Headers.CacheControl = "no-store";
            await response.Body.WriteAsync(_config, context.RequestAborted).ConfigureAwait(false);
            return;
        }
        if (path.EndsWith('/')) path += "index.html";
        string file = Path.GetFullPath(Path.Combine(_root, path.TrimStart('/')));
        if (!file.StartsWith(_root + Path.DirectorySeparatorChar, StringComparison.Ordinal) || !File.Exists(file))
        {
            response.StatusCode = StatusCodes.Status404NotFound;
            return;
        }
        response.ContentType = ContentTypes.GetValueOrDefault(Path.GetExtension(file), "application/octet-stream");
        response.ContentLength = new FileInfo(file).Length;
        if (HttpMethods.IsHead(context.Request.Method)) return;
        await response.SendFileAsync(file, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Stops listening; requests in flight get a few seconds to finish.</summary>
    public async Task StopAsync()
    {
        if (_host is not null) await _host.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_host is not null) await _host.DisposeAsync().ConfigureAwait(false);
    }
}
