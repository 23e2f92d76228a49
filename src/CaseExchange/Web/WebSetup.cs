using CaseExchange.Http;
using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace CaseExchange.Web;

/// <summary>
/// The French pages: Razor Pages under Web/Pages, server-rendered, no JavaScript. Every page requires a signed-in
/// member (session cookie) except sign-in and the error page.
/// </summary>
public static class WebSetup
{
    /// <summary>The one-time confirmation shown after a redirect ("La situation S-2026-0042 est enregistrée").</summary>
    public const string NoticeCookie = "CaseExchange.Notice";

    public static void AddCaseExchangeWeb(this WebApplicationBuilder builder)
    {
        builder.Services.AddRazorPages(options =>
            {
                // Pages live beside the use case they serve (Situations/Referral/Nouvelle.cshtml); every route is absolute.
                options.RootDirectory = "/";
                options.Conventions.AuthorizeFolder("/");
                options.Conventions.AllowAnonymousToFolder("/Hosting/SignIn");
                options.Conventions.AllowAnonymousToPage("/Web/Pages/Erreur");
                options.Conventions.ConfigureFilter(new ProblemsAsPages());
            })
            .AddMvcOptions(options =>
            {
                // The use cases validate, in French; the framework only reports values it could not read, in French too
                // and without repeating them (they may be nominative).
                options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
                var messages = options.ModelBindingMessageProvider;
                messages.SetAttemptedValueIsInvalidAccessor((_, _) => "La valeur saisie n'est pas valide.");
                messages.SetNonPropertyAttemptedValueIsInvalidAccessor(_ => "La valeur saisie n'est pas valide.");
                messages.SetUnknownValueIsInvalidAccessor(_ => "La valeur saisie n'est pas valide.");
                messages.SetNonPropertyUnknownValueIsInvalidAccessor(() => "La valeur saisie n'est pas valide.");
                messages.SetValueIsInvalidAccessor(_ => "La valeur saisie n'est pas valide.");
                messages.SetValueMustBeANumberAccessor(_ => "Saisissez un nombre.");
                messages.SetNonPropertyValueMustBeANumberAccessor(() => "Saisissez un nombre.");
                messages.SetMissingBindRequiredValueAccessor(_ => "Ce champ est obligatoire.");
                messages.SetMissingKeyOrValueAccessor(() => "Ce champ est obligatoire.");
                messages.SetMissingRequestBodyRequiredValueAccessor(() => "Le formulaire est vide.");
                messages.SetValueMustNotBeNullAccessor(_ => "Ce champ est obligatoire.");
            })
            .AddViewOptions(options => options.HtmlHelperOptions.ClientValidationEnabled = false);

        builder.Services.Configure<CookieTempDataProviderOptions>(options =>
        {
            options.Cookie.Name = NoticeCookie;
            options.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        builder.Services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "CaseExchange.Antiforgery";
            options.Cookie.SecurePolicy = builder.Environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });
        // French text stays readable in the HTML source (accents are not turned into character references).
        builder.Services.Configure<WebEncoderOptions>(options => options.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        builder.Services.AddSingleton<CharterText>();
        // The layout and the partials every page shares (_Layout, _ErrorSummary, _BarChart) are in Web/Shared.
        builder.Services.Configure<Microsoft.AspNetCore.Mvc.Razor.RazorViewEngineOptions>(options =>
            options.PageViewLocationFormats.Add("/Web/Shared/{0}.cshtml"));
        // Behind the TLS reverse proxy on the same host (deploy/README.md): the scheme the browser used, for the
        // OpenID Connect redirect. Only loopback proxies are trusted.
        builder.Services.Configure<ForwardedHeadersOptions>(options => options.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto);
    }

    public static void UseCaseExchangeWeb(this WebApplication app)
    {
        app.UseStaticFiles();
        var french = new CultureInfo("fr-FR");
        // Forms post to the service only; signing out posts a form that the service redirects to the identity provider.
        var formAction = Uri.TryCreate(app.Configuration["Authentication:Authority"], UriKind.Absolute, out var authority)
            ? $"form-action 'self' {authority.GetLeftPart(UriPartial.Authority)}"
            : "form-action 'self'";
        var contentSecurityPolicy = $"default-src 'self'; img-src 'self' data:; object-src 'none'; base-uri 'self'; {formAction}; frame-ancestors 'none'";
        app.UseWhen(ErrorPages.WantsPage, pages =>
        {
            pages.UseRequestLocalization(new RequestLocalizationOptions
            {
                DefaultRequestCulture = new RequestCulture(french),
                SupportedCultures = [french],
                SupportedUICultures = [french],
                RequestCultureProviders = [],
            });
            pages.Use((context, next) =>
            {
                var headers = context.Response.Headers;
                headers.XContentTypeOptions = "nosniff";
                headers.XFrameOptions = "DENY";
                headers["Referrer-Policy"] = "same-origin";
                headers.ContentSecurityPolicy = contentSecurityPolicy;
                return next(context);
            });
        });
    }
}
