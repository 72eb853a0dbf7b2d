@echo off
REM This project's dynamic-provider host on Windows: see start.js.
node "%~dp0start.js" %*
