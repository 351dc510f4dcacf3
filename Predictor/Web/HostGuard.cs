using System.Net.NetworkInformation;
using System.Net;
using Microsoft.AspNetCore.Http;

namespace TfMnist.Predictor.Web;

/// <summary>
/// Which <c>Host</c> header values the server answers: localhost, 127.0.0.1, [::1] and the
/// address it listens on; when that is 0.0.0.0 or ::, also this machine's own addresses and name
/// (a phone on the LAN types one of those). Anything else is a name some other site controls
/// (DNS rebinding), and is refused. The port is not compared: the socket already decided it.
/// </summary>
public sealed class HostGuard
{
    private readonly HashSet<string> _allowed = new(StringComparer.OrdinalIgnoreCase) { "localhost", "127.0.0.1", "::1" };

    public HostGuard(IPAddress listenAddress)
    {
        ArgumentNullException.ThrowIfNull(listenAddress);
        _allowed.Add(listenAddress.ToString());
        if (listenAddress.Equals(IPAddress.Any) || listenAddress.Equals(IPAddress.IPv6Any))
        {
            string name = Dns.GetHostName();
            _allowed.Add(name);
            foreach (var nic in NetworkInterface.GetAllNetworkInterfaces())
                foreach (var unicast in nic.GetIPProperties().UnicastAddresses)
                    _allowed.Add(unicast.Address.ToString());
        }
    }

    public bool Allows(HostString host)
    {
        if (!host.HasValue) return false;
        string name = host.Host.Trim('[', ']');
        if (IPAddress.TryParse(name, out var ip)) name = ip.ToString();
        return _allowed.Contains(name);
    }
}
