using CaseExchange.Charter;
using CaseExchange.Demo;
using CaseExchange.Hosting;
using CaseExchange.Http;
using CaseExchange.Http;
using CaseExchange.Journal;
using CaseExchange.Notifications;
using CaseExchange.Protection;
using CaseExchange.Retention;
using CaseExchange.Seances;
using CaseExchange.Statistics;
using CaseExchange.Web;

var builder = WebApplication.CreateBuilder(args);

builder.AddCaseExchangeLogging();
var charter = CharterPolicy.Load(builder.Configuration["Charter:Directory"] ?? Path.Combine(AppContext.BaseDirectory, "charter"));
builder.Services.AddSingleton(charter);
builder.Services.AddSingleton(TimeProvider.System);

var connectionString = await Database.ResolveConnectionStringAsync(builder);
builder.AddCaseExchangeEventStore(connectionString);
builder.AddCaseExchangeProtection(connectionString);
builder.AddCaseExchangeJournal();
builder.AddCaseExchangeAuthentication();
builder.AddCaseExchangeRetention();
builder.AddCaseExchangeWeb();
builder.AddCaseExchangeResponseHeaders();
builder.Services.AddCaseExchangeProblemDetails();
builder.Services.AddCaseExchangeHealthChecks(connectionString, builder.Configuration);
builder.Services.AddCaseExchangeOpenApi();
builder.AddCaseExchangeObservability();
builder.Services.AddCaseExchangeSeances();
builder.Services.AddCaseExchangeStatistics();
builder.AddCaseExchangeNotifications();
if (builder.Configuration.GetValue<bool>("Demo:Seed")) builder.Services.AddHostedService<DemoCouncil>();

var app = builder.Build();

app.UseForwardedHeaders();
app.UseCaseExchangeResponseHeaders();
app.UseCaseExchangeProblemResponses();
// Explicitly after the error handling, so that an error page re-executed for a request is routed again.
app.UseRouting();
app.UseCaseExchangeWeb();
app.UseCaseExchangeInputBoundary();
app.UseAuthentication();
app.UseCaseExchangeSubjectBoundary();
app.UseAuthorization();

app.MapCaseExchangeHealthChecks();
app.MapCaseExchangeObservability();
app.MapOpenApi().AllowAnonymous();
app.MapDevelopmentSignIn();
app.MapCaseExchangeEndpoints();
app.MapRazorPages();

return await app.RunServiceOrCommandAsync(args);

/// <summary>Entry point, visible to the test host.</summary>
public partial class Program;
