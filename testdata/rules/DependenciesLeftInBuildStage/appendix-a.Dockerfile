FROM python:3.9 AS build
WORKDIR /app
COPY . .
# want +1 "\"pip install -r requirements.txt\" installs into /usr/local/lib/python3.9/site-packages \\(the system site-packages\\) of stage \"build\", but the shipped image copies only /app from it \\(line 7\\): the packages stay behind and the app fails with ModuleNotFoundError; install into a venv.*or pip install --prefix=/install and COPY --from=build /install /usr/local"
RUN pip install -r requirements.txt
FROM python:3.9-slim
COPY --from=build /app /app
CMD ["python", "/app/main.py"]
