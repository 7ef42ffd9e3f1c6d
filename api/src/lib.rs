//! Sistema Lavoro: the API server of the territorial employment-inclusion networks.

pub mod config;
pub mod demo;
pub mod domain;
pub mod http;
pub mod integration;
pub mod openapi;
pub mod security;
pub mod store;
pub mod workflow;

pub use config::Config;
