using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace DePinChain.Api;

/// <summary>
/// The lifecycle the node's web servers (gRPC, REST, explorer) share: started on its Kestrel endpoint, the address it
/// actually bound (port 0 picks one), stopped once with a few seconds' grace for calls in flight, then disposed.
/// </summary>
internal sealed class ApiHost : IAsyncDisposable
{
    private static readonly TimeSpan StopGrace = TimeSpan.FromSeconds(5);

    private readonly WebApplication _web;
    private int _stopped;

    private ApiHost(WebApplication web, string listenAddress)
    {
        _web = web;
        ListenAddress = listenAddress;
    }

    /// <summary>host:port as bound.</summary>
    public string ListenAddress { get; }

    public static async Task<ApiHost> StartAsync(WebApplication web, CancellationToken cancellationToken)
    {
        await web.StartAsync(cancellationToken).ConfigureAwait(false);
        var bound = new Uri(web.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return new ApiHost(web, $"{bound.Host}:{bound.Port}");
    }

    /// <summary>Stops listening; true the first time (the caller logs it), false when already stopped.</summary>
    public async Task<bool> StopAsync()
    {
        if (Interlocked.Exchange(ref _stopped, 1) != 0) return false;
        using var grace = new CancellationTokenSource(StopGrace);
        await _web.StopAsync(grace.Token).ConfigureAwait(false);
        return true;
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _web.DisposeAsync().ConfigureAwait(false);
    }
}
