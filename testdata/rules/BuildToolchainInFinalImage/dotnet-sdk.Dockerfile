# want +1 "built on mcr.microsoft.com/dotnet/sdk:8.0, a build image that carries the .NET SDK.*mcr.microsoft.com/dotnet/aspnet:8.0-noble-chiseled \\(Google distroless has no .NET image"
FROM mcr.microsoft.com/dotnet/sdk:8.0
WORKDIR /app
COPY out/ .
ENTRYPOINT ["dotnet", "App.dll"]
