# escape=`
FROM mcr.microsoft.com/windows/servercore:ltsc2022
SHELL ["powershell", "-Command", "$ErrorActionPreference = 'Stop'; $ProgressPreference = 'SilentlyContinue';"]
ENV APP_HOME=C:\app `
    LOG_DIR=C:\logs
WORKDIR C:\app
RUN New-Item -ItemType Directory -Path C:\logs | Out-Null; `
    # comment inside a backtick continuation
    Write-Host 'prepared'
COPY bin\Release\net8.0\publish\ C:\app\
RUN Invoke-WebRequest -Uri https://example.com/tool.zip -OutFile C:\tool.zip; `
    Expand-Archive C:\tool.zip -DestinationPath C:\tool; `
    Remove-Item C:\tool.zip
EXPOSE 8080
ENTRYPOINT ["C:\\app\\App.exe"]
