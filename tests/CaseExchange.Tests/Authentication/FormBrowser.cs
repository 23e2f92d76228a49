using System.Net;
using System.Text.RegularExpressions;

namespace CaseExchange.Tests.Authentication;

/// <summary>
/// What a browser does in a sign-in, without the browser: keeps each site's cookies, follows redirects one by one
/// (each hop visible to the test), and submits the HTML forms it is shown, including the provider's auto-submitted
/// form_post answer. Requests to https://localhost go to the service under test, others to the network.
/// </summary>
public sealed partial class FormBrowser(HttpClient service, HttpMessageHandler network) : IDisposable
{
    private readonly CookieContainer _cookies = new();
    private readonly HttpClient _network = new(network);

    /// <summary>Every URL requested, in order.</summary>
    public List<Uri> Visited { get; } = [];

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, IEnumerable<KeyValuePair<string, string>>? form = null)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.Accept.ParseAdd("text/html");
        if (form is not null) request.Content = new FormUrlEncodedContent(form);
        var cookies = _cookies.GetCookieHeader(url);
        if (cookies.Length > 0) request.Headers.Add("Cookie", cookies);
        Visited.Add(url);
        var response = await (url.Host == "localhost" ? service : _network).SendAsync(request);
        if (response.Headers.TryGetValues("Set-Cookie", out var setCookies))
            foreach (var setCookie in setCookies)
                _cookies.SetCookies(url, setCookie);
        return response;
    }

    public Task<HttpResponseMessage> GetAsync(string url) => FollowAsync(HttpMethod.Get, new Uri(url));

    /// <summary>Sends, then follows redirects (GET) until a page answers.</summary>
    public async Task<HttpResponseMessage> FollowAsync(HttpMethod method, Uri url, IEnumerable<KeyValuePair<string, string>>? form = null)
    {
        var response = await SendAsync(method, url, form);
        for (var hops = 0; hops < 20 && (int)response.StatusCode is >= 300 and < 400; hops++)
        {
            var next = new Uri(response.RequestMessage!.RequestUri!, response.Headers.Location!);
            response = await SendAsync(HttpMethod.Get, next);
        }
        return response;
    }

    /// <summary>Submits the form of the page (the one whose action contains <paramref name="actionContains"/>, or the first).</summary>
    public async Task<HttpResponseMessage> SubmitAsync(HttpResponseMessage page, IDictionary<string, string>? fields = null, string? actionContains = null)
    {
        var html = await page.Content.ReadAsStringAsync();
        var form = FormElement().Matches(html).FirstOrDefault(f => actionContains is null || (ActionOf(f)?.Contains(actionContains) ?? false))
                   ?? throw new InvalidOperationException($"No form on {page.RequestMessage!.RequestUri}: {html[..Math.Min(html.Length, 400)]}");
        var values = new Dictionary<string, string>();
        foreach (Match input in InputElement().Matches(form.Groups["body"].Value))
        {
            var name = Attribute(input.Value, "name");
            if (name is null) continue;
            values[name] = WebUtility.HtmlDecode(Attribute(input.Value, "value") ?? "");
        }
        foreach (var (name, value) in fields ?? new Dictionary<string, string>()) values[name] = value;
        var action = WebUtility.HtmlDecode(ActionOf(form) ?? "");
        var target = new Uri(page.RequestMessage!.RequestUri!, action.Length == 0 ? page.RequestMessage.RequestUri!.PathAndQuery : action);
        return await FollowAsync(HttpMethod.Post, target, values);
    }

    public void Dispose() => _network.Dispose();

    private static string? ActionOf(Match form) => Attribute(form.Groups["attributes"].Value, "action");

    private static string? Attribute(string element, string name)
    {
        var match = Regex.Match(element, $"\\s{name}=\"([^\"]*)\"");
        return match.Success ? match.Groups[1].Value : null;
    }

    [GeneratedRegex("<form(?<attributes>[^>]*)>(?<body>.*?)</form>", RegexOptions.Singleline | RegexOptions.IgnoreCase)]
    private static partial Regex FormElement();

    [GeneratedRegex("<input[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex InputElement();
}
